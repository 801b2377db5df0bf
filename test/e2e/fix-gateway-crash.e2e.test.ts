import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fix44, type FixMessage } from '../../src/fix/index.js';
import { testEnvironment, type OrderJson } from '../support/embedded.js';
import { TestFixClient } from '../support/fix-client.js';
import { freePort, startSystemProcess } from '../support/processes.js';

/** kill -9 of the OMS under a FIX client's burst of orders: afterwards every order ends once, reported from committed state. */
const ACCOUNT = 'ACC-FIX-CRASH';
const ORDERS = 80;
const dataDir = mkdtempSync(join(tmpdir(), 'oms-fix-crash-'));
const clientDir = mkdtempSync(join(tmpdir(), 'oms-fix-crash-client-'));
let running: ChildProcess | undefined;
let client: TestFixClient | undefined;

afterAll(async () => {
  await client?.stop();
  running?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(clientDir, { recursive: true, force: true });
});

const FINAL = new Set(['2', '4', '8', 'C']);
const finalOf = (received: readonly FixMessage[], clOrdId: string) =>
  received.find((m) => m.msgType === '8' && m.get(11) === clOrdId && FINAL.has(m.get(39)!) && m.get(150) !== 'I');

describe('FIX gateway: kill -9 of the OMS under a client', () => {
  it('every order the client sent ends exactly once, fills counted once, none stored twice', { timeout: 240_000 }, async () => {
    const [port, gatewayPort, xnys, xnas] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env = testEnvironment(dataDir, {
      PORT: String(port),
      OMS_VENUES: `XNYS=127.0.0.1:${xnys}:OMS:XNYS,XNAS=127.0.0.1:${xnas}:OMS:XNAS`,
      FIX_GATEWAY_PORT: String(gatewayPort),
      FIX_GATEWAY_SESSIONS: `CRASHER:OMS=${ACCOUNT}`,
      LOG_LEVEL: 'warn',
    });
    const url = `http://127.0.0.1:${port}`;
    running = await startSystemProcess(env, url);
    client = new TestFixClient(gatewayPort, 'CRASHER', 'OMS', clientDir);
    await client.start();
    const ids = Array.from({ length: ORDERS }, (_, i) => `K-${i}`);
    /** Orders ids[from] up to ids[to], excluded. */
    const sendOrders = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        client!.send(
          fix44.newOrderSingle({
            clOrdId: ids[i]!,
            account: ACCOUNT,
            symbol: 'MSFT',
            side: i % 2 === 0 ? 'BUY' : 'SELL',
            orderQty: '100',
            ordType: 'MARKET',
            timeInForce: 'DAY',
            transactTime: new Date(),
          }),
        );
      }
    };
    // Half the orders, then the other half right before the kill, once the first order is filled:
    // orders are then somewhere between the wire, the journal and the venues. Killed after the first
    // fill alone, a fast run had ended all 80 before the kill came (CI, Node 24).
    sendOrders(0, ORDERS / 2);
    await client.waitFor((m) => m.msgType === '8' && m.get(39) === '2', 60_000);
    sendOrders(ORDERS / 2, ORDERS);
    running.kill('SIGKILL');
    await new Promise((resolve) => running!.once('exit', resolve));
    const before = [...client.received];
    await client.stop();
    const endedBefore = ids.filter((id) => finalOf(before, id)).length;
    console.log(`FIX gateway crash test: ${endedBefore} of ${ORDERS} orders had their final report before the kill`);
    expect(endedBefore).toBeLessThan(ORDERS);

    running = await startSystemProcess(env, url);
    client = new TestFixClient(gatewayPort, 'CRASHER', 'OMS', clientDir);
    await client.start();
    const deadline = Date.now() + 90_000;
    const all = () => [...before, ...client!.received];
    while (ids.some((id) => !finalOf(all(), id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const missing = ids.filter((id) => !finalOf(all(), id));
    expect(missing, `no final report for ${missing.join(', ')}`).toEqual([]);

    const stored = ((await (await fetch(`${url}/api/v1/orders?accountId=${ACCOUNT}`)).json()) as { orders: OrderJson[] }).orders;
    // One order per ClOrdID, and every one the client sent (those the kill caught before the journal came back by resend).
    expect(stored.length).toBe(ORDERS);
    expect(stored.map((o) => o.clientOrderId).sort()).toEqual([...new Set(stored.map((o) => o.clientOrderId))].sort());
    expect(stored.every((o) => ids.includes(o.clientOrderId))).toBe(true);
    const reports = all().filter((m) => m.msgType === '8');
    // A report is new once: a second copy only as a resend (43=Y).
    const firstCopies = reports.filter((m) => m.get(43) !== 'Y').map((m) => m.get(17));
    expect(firstCopies.length).toBe(new Set(firstCopies).size);
    for (const order of stored) {
      const trades = new Map(reports.filter((m) => m.get(37) === order.orderId && m.get(150) === 'F').map((m) => [m.get(17), Number(m.get(32))]));
      const final = finalOf(all(), order.clientOrderId)!;
      expect(
        [...trades.values()].reduce((a, b) => a + b, 0),
        order.clientOrderId,
      ).toBe(Number(final.get(14)));
      const now = (await (await fetch(`${url}/api/v1/orders/${order.orderId}`)).json()) as OrderJson;
      expect(Number(final.get(14)), order.clientOrderId).toBe(now.filledQuantity);
    }
    running.kill('SIGKILL');
    await new Promise((resolve) => running!.once('exit', resolve));
    running = undefined;
  });

  it('killed after a fill is committed and before its report is sent, the client gets the report once after the restart', { timeout: 240_000 }, async () => {
    const [port, gatewayPort, xnys] = [await freePort(), await freePort(), await freePort()];
    const exactDir = mkdtempSync(join(dataDir, 'exact-'));
    const env = testEnvironment(exactDir, {
      PORT: String(port),
      OMS_VENUES: `XNYS=127.0.0.1:${xnys}:OMS:XNYS`,
      FIX_GATEWAY_PORT: String(gatewayPort),
      FIX_GATEWAY_SESSIONS: `EXACT:OMS=${ACCOUNT}-X`,
      LOG_LEVEL: 'warn',
    });
    const url = `http://127.0.0.1:${port}`;
    running = await startSystemProcess({ ...env, KILL_BEFORE_FILL_REPORT_TO: 'EXACT' }, url, { preload: './test/support/kill-before-client-fill-report.ts' });
    const exited = new Promise((resolve) => running!.once('exit', (_code, signal) => resolve(signal)));
    client = new TestFixClient(gatewayPort, 'EXACT', 'OMS', join(clientDir, 'exact'));
    await client.start();
    client.send(
      fix44.newOrderSingle({
        clOrdId: 'X-1',
        account: `${ACCOUNT}-X`,
        symbol: 'MSFT',
        side: 'BUY',
        orderQty: '100',
        ordType: 'MARKET',
        timeInForce: 'DAY',
        transactTime: new Date(),
      }),
    );
    expect(await exited).toBe('SIGKILL');
    const before = [...client.received];
    await client.stop();
    // Acknowledged, and not one fill reported.
    expect(before.filter((m) => m.msgType === '8').map((m) => m.get(150))).toEqual(['0']);

    running = await startSystemProcess(env, url);
    client = new TestFixClient(gatewayPort, 'EXACT', 'OMS', join(clientDir, 'exact'));
    await client.start();
    const filled = await client.waitFor((m) => m.msgType === '8' && m.get(11) === 'X-1' && m.get(39) === '2', 60_000);
    const order = (await (await fetch(`${url}/api/v1/orders/${filled.get(37)}`)).json()) as OrderJson;
    expect([order.status, order.filledQuantity]).toEqual(['FILLED', 100]);
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more should come
    // Stored while the client was away, so it comes by resend (43=Y), and once: each ExecID one copy.
    const trades = client.received.filter((m) => m.msgType === '8' && m.get(150) === 'F');
    expect(new Set(trades.map((m) => m.get(17))).size).toBe(trades.length);
    expect(trades.reduce((sum, m) => sum + Number(m.get(32)), 0)).toBe(100);
    expect(client.received.filter((m) => m.msgType === '8' && m.get(150) === '0')).toEqual([]);
    running.kill('SIGKILL');
    await new Promise((resolve) => running!.once('exit', resolve));
    running = undefined;
  });
});
