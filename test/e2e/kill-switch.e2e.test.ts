import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { isFinal, postOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';

let system: Awaited<ReturnType<typeof startTestSystem>>;
let marketableBuy: string;

beforeAll(async () => {
  system = await startTestSystem();
  const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
  const reference = parseDecimal(market.referencePrice)!;
  // 1% through the reference, on the cent grid: marketable, inside the collar.
  marketableBuy = formatDecimal(((reference + reference / 100n) / 1_000_000n) * 1_000_000n);
});

afterAll(async () => {
  await system?.cleanUp();
});

let sequence = 0;
const order = (accountId: string) => ({
  clientOrderId: `KS-${++sequence}-${Math.random().toString(36).slice(2, 8)}`,
  accountId,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: marketableBuy,
  timeInForce: 'IOC',
});

async function submit(accountId: string): Promise<string> {
  const { status, json } = await postOrder(system.url, order(accountId));
  expect(status).toBe(201);
  return json.orderId as string;
}

async function killSwitch(method: 'POST' | 'DELETE', query: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${system.url}/api/v1/risk/kill-switch${query}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const final = (orderId: string): Promise<OrderJson> => waitForOrder(system.url, orderId, isFinal, 30_000);
const killed = (o: OrderJson): boolean => o.status === 'REJECTED' && (o.rejectReason ?? '').startsWith('KILL_SWITCH:');

describe('kill switch', () => {
  it('pulled under load: no order sent after the engage call returns is accepted; released, orders flow again', async () => {
    const sent: { orderId: string; afterEngage: boolean }[] = [];
    let engagedReturned = false;
    let stop = false;
    // Eight clients keep orders in flight on two accounts for the whole test.
    const clients = Array.from({ length: 8 }, async (_, client) => {
      while (!stop) {
        const afterEngage = engagedReturned;
        sent.push({ orderId: await submit(client % 2 === 0 ? 'KS-LOAD-A' : 'KS-LOAD-B'), afterEngage });
      }
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const engaged = await killSwitch('POST', '', { scope: 'GLOBAL', reason: 'e2e: runaway flow' });
    engagedReturned = true;
    expect(engaged.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await Promise.all(clients);

    const before = sent.filter((s) => !s.afterEngage);
    const after = sent.filter((s) => s.afterEngage);
    expect(before.length).toBeGreaterThan(20);
    expect(after.length).toBeGreaterThan(20);
    const afterOrders = await Promise.all(after.map((s) => final(s.orderId)));
    expect(afterOrders.filter((o) => !killed(o)).map((o) => `${o.orderId} ${o.status} ${o.rejectReason}`)).toEqual([]);
    const beforeOrders = await Promise.all(before.map((s) => final(s.orderId)));
    // Orders risk decided before the switch traded normally.
    expect(beforeOrders.some((o) => o.status === 'FILLED' || o.status === 'PARTIALLY_FILLED' || o.filledQuantity > 0)).toBe(true);

    expect((await killSwitch('DELETE', '?scope=GLOBAL&reason=e2e%20done')).status).toBe(200);
    const released = await final(await submit('KS-LOAD-A'));
    expect(released.status).not.toBe('REJECTED');
  }, 120_000);

  it('cancels every working order in its scope at every venue, and leaves other accounts working', async () => {
    const reference = parseDecimal(marketableBuy)! - parseDecimal(marketableBuy)! / 101n;
    const restingBuy = formatDecimal(((reference - reference / 25n) / 1_000_000n) * 1_000_000n); // about 4% below: rests
    const rest = async (accountId: string) => {
      const { status, json } = await postOrder(system.url, { ...order(accountId), limitPrice: restingBuy, quantity: 300, timeInForce: 'DAY' });
      expect(status).toBe(201);
      return waitForOrder(
        system.url,
        String(json.orderId),
        (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'),
        30_000,
      );
    };
    const mine = await Promise.all([rest('KS-CXL-1'), rest('KS-CXL-1'), rest('KS-CXL-1')]);
    const others = await rest('KS-CXL-2');

    const engaged = await killSwitch('POST', '', { scope: 'ACCOUNT', accountId: 'KS-CXL-1', reason: 'e2e: cancel all' });
    expect(engaged.status).toBe(201);
    expect(engaged.json.canceledOrders).toBe(3);
    for (const o of mine) {
      const done = await final(o.orderId);
      expect(done.status).toBe('CANCELED');
      expect(done.children!.every((c) => c.status === 'CANCELED')).toBe(true);
    }
    const untouched = await waitForOrder(system.url, others.orderId, () => true);
    expect(untouched.status).toBe('NEW');
    expect((await killSwitch('DELETE', '?scope=ACCOUNT&accountId=KS-CXL-1')).status).toBe(200);
    expect((await fetch(`${system.url}/api/v1/orders/${others.orderId}`, { method: 'DELETE' })).status).toBe(202);
    expect((await final(others.orderId)).status).toBe('CANCELED');
  }, 60_000);

  it('blocks one account under its own switch while others trade', async () => {
    expect((await killSwitch('POST', '', { scope: 'ACCOUNT', accountId: 'KS-ACC-1', reason: 'e2e: one account' })).status).toBe(201);
    const [blocked, other] = await Promise.all([final(await submit('KS-ACC-1')), final(await submit('KS-ACC-2'))]);
    expect(killed(blocked)).toBe(true);
    expect(blocked.rejectReason).toMatch(/^KILL_SWITCH: kill switch of account KS-ACC-1 engaged by .+: e2e: one account$/);
    expect(other.status).not.toBe('REJECTED');
    expect((await killSwitch('DELETE', '?scope=ACCOUNT&accountId=KS-ACC-1')).status).toBe(200);
    expect((await final(await submit('KS-ACC-1'))).status).not.toBe('REJECTED');
  }, 60_000);
});
