import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedSystem, type RunningSystem } from '../../src/app/embedded.js';
import { loadConfig } from '../../src/config/config.js';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { fix44 } from '../../src/fix/index.js';
import { getOrder, testEnvironment, waitForOrder } from '../support/embedded.js';
import { isReport, TestFixClient } from '../support/fix-client.js';

/** ClOrdIDs are unique per session and FIX day: a new sequence series lets a client use an ended order's ClOrdID again. */
const ACCOUNT = 'ACC-FIX-DAY';
const dataDir = mkdtempSync(join(tmpdir(), 'oms-fix-day-'));
const clientDir = mkdtempSync(join(tmpdir(), 'oms-fix-day-client-'));
const env = testEnvironment(dataDir, {
  OMS_VENUES: 'XNYS=127.0.0.1:0:OMS:XNYS,XNAS=127.0.0.1:0:OMS:XNAS',
  FIX_GATEWAY_PORT: '0',
  FIX_GATEWAY_SESSIONS: `ALICE:OMS=${ACCOUNT}`,
});
let system: RunningSystem | undefined;
let client: TestFixClient | undefined;

async function connect(options: { resetOnLogon?: boolean } = {}): Promise<TestFixClient> {
  client = new TestFixClient(system!.fixGatewayPort!, 'ALICE', 'OMS', clientDir, options);
  await client.start();
  return client;
}

afterAll(async () => {
  await client?.stop();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(clientDir, { recursive: true, force: true });
});

const market = (clOrdId: string) =>
  fix44.newOrderSingle({
    clOrdId,
    account: ACCOUNT,
    symbol: 'AAPL',
    side: 'BUY',
    orderQty: '100',
    ordType: 'MARKET',
    timeInForce: 'DAY',
    transactTime: new Date(),
  });

describe('FIX gateway: ClOrdIDs per session and day', () => {
  it(
    'a new sequence series (here a logon with ResetSeqNumFlag) frees the ClOrdIDs of ended orders, restates working ones and keeps their ClOrdIDs, across a restart too',
    { timeout: 120_000 },
    async () => {
      system = await startEmbeddedSystem(loadConfig(env));
      const quote = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
      const passive = formatDecimal(((parseDecimal(quote.referencePrice)! * 96n) / 100n / 1_000_000n) * 1_000_000n);
      let alice = await connect();
      alice.send(market('DAY-1'));
      const firstFill = await alice.waitFor((m) => m.msgType === '8' && m.get(11) === 'DAY-1' && m.get(39) === '2');
      alice.send(
        fix44.newOrderSingle({
          clOrdId: 'GTC-1',
          account: ACCOUNT,
          symbol: 'AAPL',
          side: 'BUY',
          orderQty: '100',
          ordType: 'LIMIT',
          price: passive,
          timeInForce: 'GTC',
          transactTime: new Date(),
        }),
      );
      const resting = await alice.waitFor(isReport('GTC-1', '0'));
      // The same day, DAY-1 is taken.
      alice.send(market('DAY-1'));
      expect((await alice.waitFor(isReport('DAY-1', '8'))).get(103)).toBe('6');
      await alice.stop();

      // The next day: both sides start again at 1, and the working GTC order is restated (ExecType D, GT renewal).
      alice = await connect({ resetOnLogon: true });
      const restated = await alice.waitFor(isReport('GTC-1', 'D'));
      expect([restated.get(37), restated.get(378), restated.get(39), restated.get(151)]).toEqual([resting.get(37), '1', '0', '100']);
      alice.send(market('DAY-1'));
      const secondFill = await alice.waitFor((m) => m.msgType === '8' && m.get(11) === 'DAY-1' && m.get(39) === '2');
      expect(secondFill.get(37)).not.toBe(firstFill.get(37));
      expect(secondFill.get(14)).toBe('100');
      const stored = await getOrder(system.url, secondFill.get(37)!);
      expect(stored.clientOrderId).toMatch(/^DAY-1:\d{8}-\d{6}\.\d{3}$/);
      expect((await getOrder(system.url, firstFill.get(37)!)).clientOrderId).toBe('DAY-1');
      // A working order keeps its ClOrdID: a new order under it is a duplicate.
      alice.send(
        fix44.newOrderSingle({
          clOrdId: 'GTC-1',
          account: ACCOUNT,
          symbol: 'AAPL',
          side: 'BUY',
          orderQty: '100',
          ordType: 'MARKET',
          timeInForce: 'DAY',
          transactTime: new Date(),
        }),
      );
      expect((await alice.waitFor(isReport('GTC-1', '8'))).get(103)).toBe('6');
      await alice.stop();
      await system.stop();

      // Restarted the same day: DAY-1 stays taken, the account holds exactly two DAY-1 orders, and
      // yesterday's GTC order, known to the new series by its restatement, is canceled by its ClOrdID.
      system = await startEmbeddedSystem(loadConfig(env));
      alice = await connect();
      alice.send(market('DAY-1'));
      const duplicate = await alice.waitFor(isReport('DAY-1', '8'));
      expect(duplicate.get(103)).toBe('6');
      alice.send(
        fix44.orderCancelRequest({ origClOrdId: 'GTC-1', clOrdId: 'GTC-1-X', symbol: 'AAPL', side: 'BUY', orderQty: '100', transactTime: new Date() }),
      );
      expect((await alice.waitFor(isReport('GTC-1-X', '4'))).get(37)).toBe(resting.get(37));
      const orders = (await (await fetch(`${system.url}/api/v1/orders?accountId=${ACCOUNT}`)).json()) as {
        orders: { clientOrderId: string; status: string }[];
      };
      expect(orders.orders.filter((o) => o.clientOrderId.startsWith('DAY-1')).map((o) => o.status)).toEqual(['FILLED', 'FILLED']);
      await waitForOrder(system.url, resting.get(37)!, (o) => o.status === 'CANCELED');
    },
  );
});
