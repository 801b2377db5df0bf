import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedSystem, type RunningSystem } from '../../src/app/embedded.js';
import { loadConfig } from '../../src/config/config.js';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { fix44 } from '../../src/fix/index.js';
import { testEnvironment, waitForOrder } from '../support/embedded.js';
import { isReport, TestFixClient } from '../support/fix-client.js';

/** The gateway after a restart of the whole system: its sessions still know their clients' orders. */
const ACCOUNT = 'ACC-FIX-R';
const dataDir = mkdtempSync(join(tmpdir(), 'oms-fix-restart-'));
const clientDir = mkdtempSync(join(tmpdir(), 'oms-fix-restart-client-'));
const env = testEnvironment(dataDir, {
  OMS_VENUES: 'XNYS=127.0.0.1:0:OMS:XNYS,XNAS=127.0.0.1:0:OMS:XNAS',
  FIX_GATEWAY_PORT: '0',
  FIX_GATEWAY_SESSIONS: `ALICE:OMS=${ACCOUNT}`,
});
let system: RunningSystem | undefined;
let client: TestFixClient | undefined;

async function start(): Promise<{ system: RunningSystem; client: TestFixClient }> {
  system = await startEmbeddedSystem(loadConfig(env));
  client = new TestFixClient(system.fixGatewayPort!, 'ALICE', 'OMS', clientDir);
  await client.start();
  return { system, client };
}

afterAll(async () => {
  await client?.stop();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(clientDir, { recursive: true, force: true });
});

describe('FIX gateway across a restart', () => {
  it('a client cancels by OrigClOrdID an order it sent before the restart, and its ClOrdID stays taken', { timeout: 120_000 }, async () => {
    const first = await start();
    const market = (await (await fetch(`${first.system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
    const reference = parseDecimal(market.referencePrice)!;
    const passive = formatDecimal(((reference * 96n) / 100n / 1_000_000n) * 1_000_000n);
    first.client.send(
      fix44.newOrderSingle({
        clOrdId: 'R-1',
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
    const ack = await first.client.waitFor(isReport('R-1', '0'));
    const orderId = ack.get(37)!;
    await waitForOrder(first.system.url, orderId, (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'));
    await first.client.stop();
    await first.system.stop();

    const second = await start();
    second.client.send(
      fix44.orderCancelRequest({ origClOrdId: 'R-1', clOrdId: 'R-1-X', symbol: 'AAPL', side: 'BUY', orderQty: '100', transactTime: new Date() }),
    );
    const canceled = await second.client.waitFor(isReport('R-1-X', '4'));
    expect(canceled.get(41)).toBe('R-1');
    expect(canceled.get(37)).toBe(orderId);
    second.client.send(
      fix44.newOrderSingle({
        clOrdId: 'R-1',
        account: ACCOUNT,
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '100',
        ordType: 'MARKET',
        timeInForce: 'DAY',
        transactTime: new Date(),
      }),
    );
    const duplicate = await second.client.waitFor(isReport('R-1', '8'));
    expect(duplicate.get(103)).toBe('6');
    expect((await waitForOrder(second.system.url, orderId, (o) => o.status === 'CANCELED')).filledQuantity).toBe(0);
  });
});
