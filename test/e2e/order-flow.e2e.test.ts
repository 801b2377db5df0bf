import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { getOrder, isFinal, postOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';

let system: Awaited<ReturnType<typeof startTestSystem>>;
let referencePrice: bigint;

beforeAll(async () => {
  system = await startTestSystem({ RISK_RESTRICTED_SYMBOLS: 'TSLA', RISK_PRICE_COLLAR_BPS: '500' });
  const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
  referencePrice = parseDecimal(market.referencePrice)!;
});

afterAll(async () => {
  await system?.cleanUp();
});

const cents = (raw: bigint): string => formatDecimal((raw / 1_000_000n) * 1_000_000n);
/** A price `bps` basis points away from the reference, on the cent grid. */
const away = (bps: bigint): string => cents(referencePrice + (referencePrice * bps) / 10_000n);

function order(overrides: Record<string, unknown>) {
  return {
    clientOrderId: `E2E-${Math.random().toString(36).slice(2)}`,
    accountId: 'ACC-E2E',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 100,
    limitPrice: away(100n),
    timeInForce: 'DAY',
    ...overrides,
  };
}

async function submit(body: Record<string, unknown>): Promise<string> {
  const { status, json } = await postOrder(system.url, body);
  expect(status).toBe(201);
  expect(json.status).toBe('PENDING_NEW');
  expect(json.orderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  return json.orderId as string;
}

/** The fills explain the order's figures to the share and to the last unit of the price scale. */
function expectConsistentFills(o: OrderJson): void {
  const fills = o.fills ?? [];
  const filled = fills.reduce((sum, f) => sum + f.quantity, 0);
  expect(filled).toBe(o.filledQuantity);
  if (filled === 0) {
    expect(o.avgPrice).toBeNull();
    return;
  }
  const notional = fills.reduce((sum, f) => sum + BigInt(f.quantity) * parseDecimal(f.price)!, 0n);
  const q = BigInt(filled);
  expect(o.avgPrice).toBe(formatDecimal((notional * 2n + q) / (2n * q)));
  expect(new Set(fills.map((f) => `${f.venue}|${f.execId}`)).size).toBe(fills.length);
}

describe('the embedded order flow over HTTP', () => {
  it('fills marketable orders of every order type and time in force', async () => {
    const cases = [
      order({ orderType: 'MARKET', limitPrice: undefined, timeInForce: 'DAY' }),
      order({ orderType: 'MARKET', limitPrice: undefined, timeInForce: 'IOC', side: 'SELL' }),
      order({ orderType: 'MARKET', limitPrice: undefined, timeInForce: 'FOK' }),
      order({ orderType: 'MARKET', limitPrice: undefined, timeInForce: 'GTC', side: 'SELL_SHORT' }),
      order({ timeInForce: 'DAY' }),
      order({ timeInForce: 'GTC', side: 'SELL', limitPrice: away(-100n) }),
      order({ timeInForce: 'IOC' }),
      order({ timeInForce: 'FOK', side: 'SELL', limitPrice: away(-100n) }),
    ];
    const ids = await Promise.all(cases.map(submit));
    for (const id of ids) {
      const done = await waitForOrder(system.url, id, isFinal);
      // A FOK goes out limited at the deepest level the router saw at its venue (so it cannot trade
      // through); if that book moved before it arrived, the venue kills it whole, never in part.
      if (done.timeInForce === 'FOK' && done.status === 'CANCELED') {
        expect(done.filledQuantity).toBe(0);
        continue;
      }
      expect(done.status, JSON.stringify(done)).toBe('FILLED');
      expect(done.filledQuantity).toBe(100);
      expect(done.leavesQuantity).toBe(0);
      expectConsistentFills(done);
      expect(done.events?.map((e) => e.status)).toEqual(expect.arrayContaining(['PENDING_NEW', 'NEW', 'FILLED']));
    }
  });

  it('rests a passive DAY or GTC limit order at a venue', async () => {
    for (const timeInForce of ['DAY', 'GTC']) {
      const id = await submit(order({ timeInForce, limitPrice: away(-300n) }));
      const resting = await waitForOrder(system.url, id, (o) => (o.children ?? []).some((c) => c.status === 'NEW'));
      expect(resting.status).toBe('NEW');
      expect(resting.filledQuantity).toBe(0);
      expect(resting.leavesQuantity).toBe(100);
    }
  });

  it('cancels what an IOC or FOK order cannot fill at once', async () => {
    const ioc = await waitForOrder(system.url, await submit(order({ timeInForce: 'IOC', limitPrice: away(-300n) })), isFinal);
    expect(ioc.status).toBe('CANCELED');
    expect(ioc.filledQuantity).toBe(0);
    expect(ioc.rejectReason ?? '').toMatch(/IOC/);
    const fok = await waitForOrder(system.url, await submit(order({ timeInForce: 'FOK', quantity: 50_000 })), isFinal);
    expect(fok.status).toBe('CANCELED');
    expect(fok.filledQuantity).toBe(0);
  });

  it('fills a large marketable order across venues and levels, exactly', async () => {
    const id = await submit(order({ quantity: 3_000, limitPrice: away(200n), timeInForce: 'IOC' }));
    const done = await waitForOrder(system.url, id, isFinal);
    expect(done.filledQuantity).toBeGreaterThan(0);
    expect(done.filledQuantity + done.leavesQuantity).toBeLessThanOrEqual(3_000);
    expectConsistentFills(done);
    expect(new Set((done.fills ?? []).map((f) => f.venue)).size).toBeGreaterThanOrEqual(1);
  });

  it('rejects orders that fail pre-trade risk, with a reason', async () => {
    const restricted = await waitForOrder(system.url, await submit(order({ symbol: 'TSLA', limitPrice: '100.00' })), isFinal);
    expect(restricted.status).toBe('REJECTED');
    expect(restricted.rejectReason).toMatch(/RESTRICTED/i);
    const collar = await waitForOrder(system.url, await submit(order({ limitPrice: away(800n) })), isFinal);
    expect(collar.status).toBe('REJECTED');
    expect(collar.rejectReason).toMatch(/COLLAR/i);
    expect(collar.fills).toEqual([]);
  });

  it('keeps positions equal to the sum of fills', async () => {
    const account = `ACC-POS-${Date.now()}`;
    const ids = await Promise.all([
      submit(order({ accountId: account, orderType: 'MARKET', limitPrice: undefined, quantity: 300 })),
      submit(order({ accountId: account, orderType: 'MARKET', limitPrice: undefined, quantity: 100, side: 'SELL' })),
    ]);
    const orders = await Promise.all(ids.map((id) => waitForOrder(system.url, id, isFinal)));
    const net = orders.reduce((sum, o) => sum + (o.side === 'BUY' ? o.filledQuantity : -o.filledQuantity), 0);
    let positions: { symbol: string; quantity: number }[] = [];
    for (let i = 0; i < 100; i++) {
      positions = ((await (await fetch(`${system.url}/api/v1/positions?accountId=${account}`)).json()) as { positions: typeof positions }).positions;
      if (positions[0]?.quantity === net) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(positions).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: net })]);
  });

  it('returns the same order for a repeated or racing (accountId, clientOrderId)', async () => {
    const body = order({ clientOrderId: `IDEM-${Date.now()}` });
    const first = await postOrder(system.url, body);
    const again = await postOrder(system.url, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.orderId).toBe(first.json.orderId);

    const raceBody = order({ clientOrderId: `RACE-${Date.now()}` });
    const raced = await Promise.all(Array.from({ length: 20 }, () => postOrder(system.url, raceBody)));
    expect(new Set(raced.map((r) => r.json.orderId)).size).toBe(1);
    expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
    const listed = (await (await fetch(`${system.url}/api/v1/orders?accountId=ACC-E2E&limit=500`)).json()) as { orders: OrderJson[] };
    expect(listed.orders.filter((o) => o.clientOrderId === raceBody.clientOrderId)).toHaveLength(1);
  });

  it('answers 404 with a JSON error for an unknown order', async () => {
    const response = await fetch(`${system.url}/api/v1/orders/0190a8b4-0000-7000-8000-000000000001`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ORDER_NOT_FOUND' } });
    expect((await fetch(`${system.url}/api/v1/orders/not-a-uuid`)).status).toBe(404);
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await fetch(`${system.url}/actuator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'UP' });
    const liveness = await fetch(`${system.url}/actuator/health/liveness`);
    expect([liveness.status, await liveness.json()]).toEqual([200, { status: 'UP' }]);
    const readiness = await fetch(`${system.url}/actuator/health/readiness`);
    const ready = (await readiness.json()) as { status: string; components: Record<string, unknown> };
    expect([readiness.status, ready.status]).toEqual([200, 'UP']);
    // What taking orders needs; the query model only serves reads.
    expect(Object.keys(ready.components).sort()).toEqual(['database', 'order flow', 'venues']);
    const text = await (await fetch(`${system.url}/actuator/prometheus`)).text();
    expect(text).toMatch(/^oms_ingest_orders_received_total\{outcome="accepted"\} [1-9]/m);
    expect(text).toMatch(/^oms_ingest_outbox_published_total [1-9]/m);
    expect(text).toMatch(/^oms_ingest_ack_latency_seconds_bucket/m);
  });

  it('lists an order with the fields of the contract', async () => {
    const id = await submit(order({}));
    const o = await getOrder(system.url, id);
    for (const field of [
      'orderId',
      'clientOrderId',
      'accountId',
      'symbol',
      'side',
      'orderType',
      'quantity',
      'limitPrice',
      'timeInForce',
      'status',
      'filledQuantity',
      'leavesQuantity',
      'avgPrice',
    ]) {
      expect(o).toHaveProperty(field);
    }
  });
});
