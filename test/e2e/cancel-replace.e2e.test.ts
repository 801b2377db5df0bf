import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { isFinal, postOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';

/** Cancel and replace of parent orders through the running system: each reaches the venues' child orders over FIX. */
const VENUES = ['XNYS', 'XNAS', 'BATS', 'EDGX'].map((v) => `${v}=127.0.0.1:0:OMS:${v}`).join(',');
const ACCOUNT = 'ACC-AMEND';

let system: Awaited<ReturnType<typeof startTestSystem>>;
let reference: bigint;

type Detailed = OrderJson & Required<Pick<OrderJson, 'children' | 'events'>>;

/** A price `percent` away from the reference price, on the cent grid. */
const priceAt = (percent: number): string => formatDecimal(((reference + (reference * BigInt(Math.round(percent * 100))) / 10_000n) / 1_000_000n) * 1_000_000n);

async function submit(overrides: Record<string, unknown>): Promise<string> {
  const body = {
    clientOrderId: `AM-${Math.random().toString(36).slice(2)}`,
    accountId: ACCOUNT,
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 300,
    timeInForce: 'DAY',
    ...overrides,
  };
  const { status, json } = await postOrder(system.url, body);
  expect(status, JSON.stringify(json)).toBe(201);
  return String(json.orderId);
}

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${system.url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const details = async (orderId: string, done: (o: Detailed) => boolean): Promise<Detailed> =>
  (await waitForOrder(system.url, orderId, (o) => done(o as Detailed))) as Detailed;
/** Resting at the venues: accepted, and every child acknowledged. */
const resting = (o: Detailed) => o.status === 'NEW' && o.children.length > 0 && o.children.every((c) => c.status === 'NEW');
const filledOf = (o: Detailed) => (o.fills ?? []).reduce((sum, f) => sum + f.quantity, 0);

beforeAll(async () => {
  system = await startTestSystem({ OMS_VENUES: VENUES, RISK_PRICE_COLLAR_BPS: '1000' });
  const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
  reference = parseDecimal(market.referencePrice)!;
});

afterAll(async () => {
  await system?.cleanUp();
});

describe('cancel and replace of working orders', () => {
  it('cancels a resting order: PENDING_CANCEL, every child canceled at its venue, then CANCELED, with the request in the audit trail', async () => {
    const orderId = await submit({ limitPrice: priceAt(-4) });
    await details(orderId, resting);
    const cancel = await send('DELETE', `/api/v1/orders/${orderId}`);
    expect(cancel.status).toBe(202);
    const done = await details(orderId, isFinal);
    expect(done).toMatchObject({ status: 'CANCELED', filledQuantity: 0, leavesQuantity: 0 });
    expect(done.children.every((c) => c.status === 'CANCELED')).toBe(true);
    const trail = done.events.map((e) => `${e.eventType}:${e.status}`);
    expect(trail).toEqual(expect.arrayContaining(['CancelRequested:PENDING_CANCEL', 'Canceled:CANCELED']));
    expect(done.events.find((e) => e.eventType === 'CancelRequested')?.detail).toMatchObject({ source: 'rest' });
  });

  it('replaces the limit price of a resting order: its children are canceled and the new terms routed, and it fills within the new limit', async () => {
    const orderId = await submit({ limitPrice: priceAt(-4), quantity: 200 });
    const before = await details(orderId, resting);
    const newLimit = priceAt(3);
    const replace = await send('PATCH', `/api/v1/orders/${orderId}`, { limitPrice: newLimit });
    expect(replace.status).toBe(202);
    const done = await details(orderId, isFinal);
    expect(done).toMatchObject({ status: 'FILLED', quantity: 200, limitPrice: newLimit, filledQuantity: 200 });
    const firstChildren = done.children.filter((c) => before.children.some((b) => b.childOrderId === c.childOrderId));
    expect(firstChildren.every((c) => c.status === 'CANCELED')).toBe(true);
    for (const fill of done.fills!) expect(parseDecimal(fill.price)! <= parseDecimal(newLimit)!).toBe(true);
    expect(done.events.map((e) => e.eventType)).toEqual(expect.arrayContaining(['ReplaceRequested', 'Replaced']));
  });

  it('replaces the quantity of a resting order: the venues then hold exactly the new quantity', async () => {
    const orderId = await submit({ limitPrice: priceAt(-4), quantity: 500 });
    await details(orderId, resting);
    expect((await send('POST', `/api/v1/orders/${orderId}/replace`, { quantity: 200 })).status).toBe(202);
    const working = (o: Detailed) => o.children.filter((c) => !['CANCELED', 'FILLED', 'REJECTED', 'EXPIRED'].includes(c.status));
    const done = await details(orderId, (o) => o.quantity === 200 && working(o).length > 0 && working(o).every((c) => c.status === 'NEW'));
    expect(done).toMatchObject({ status: 'NEW', quantity: 200, leavesQuantity: 200 });
    expect(working(done).reduce((s, c) => s + c.quantity, 0)).toBe(200);
    expect(done.children.filter((c) => c.quantity === 500).every((c) => c.status === 'CANCELED')).toBe(true);
    expect((await send('DELETE', `/api/v1/orders/${orderId}`)).status).toBe(202);
    expect((await details(orderId, isFinal)).status).toBe('CANCELED');
  });

  it('keeps what filled when a cancel races the fills, and the order ends consistent', async () => {
    const orderId = await submit({ limitPrice: priceAt(3), quantity: 3000, timeInForce: 'DAY' });
    const cancel = await send('POST', `/api/v1/orders/${orderId}/cancel`);
    expect([202, 409]).toContain(cancel.status);
    const done = await details(orderId, isFinal);
    expect(['FILLED', 'CANCELED']).toContain(done.status);
    expect(done.filledQuantity).toBe(filledOf(done));
    expect(done.leavesQuantity).toBe(0);
    expect(done.children.every((c) => ['FILLED', 'CANCELED'].includes(c.status))).toBe(true);
    expect(done.children.reduce((s, c) => s + c.filledQuantity, 0)).toBe(done.filledQuantity);
  });

  it('refuses what cannot be done, naming why: unknown order 404, final order 409, bad replace fields 400', async () => {
    expect((await send('DELETE', '/api/v1/orders/01900000-0000-7000-8000-000000000000')).status).toBe(404);
    const filledId = await submit({ limitPrice: priceAt(3), quantity: 100, timeInForce: 'IOC' });
    await details(filledId, isFinal);
    const late = await send('DELETE', `/api/v1/orders/${filledId}`);
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ error: { code: 'ORDER_NOT_WORKING' } });

    const orderId = await submit({ limitPrice: priceAt(-4) });
    await details(orderId, resting);
    const bad = await send('PATCH', `/api/v1/orders/${orderId}`, { quantity: -5, limitPrice: 'cheap', colour: 'red' });
    expect(bad.status).toBe(400);
    const fields = (bad.json as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field).sort();
    expect(fields).toEqual(['colour', 'limitPrice', 'quantity']);
    expect((await send('PATCH', `/api/v1/orders/${orderId}`, {})).status).toBe(400);
    expect((await send('DELETE', `/api/v1/orders/${orderId}`)).status).toBe(202);
    expect((await details(orderId, isFinal)).status).toBe('CANCELED');
  });
});

describe('DAY expiry at the session close', () => {
  it('expires working DAY orders at SESSION_CLOSE_UTC (children canceled at the venues), and leaves GTC orders working', async () => {
    // Far enough ahead that the system has started and the orders rest before it (a loaded CI machine starts slowly).
    const close = new Date(Date.now() + 20_000);
    const closeUtc = close.toISOString().slice(11, 19);
    const session = await startTestSystem({ OMS_VENUES: VENUES, SESSION_CLOSE_UTC: closeUtc });
    try {
      const market = (await (await fetch(`${session.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
      const below = formatDecimal(((parseDecimal(market.referencePrice)! * 96n) / 100n / 1_000_000n) * 1_000_000n);
      const place = async (timeInForce: string) => {
        const { status, json } = await postOrder(session.url, {
          clientOrderId: `EXP-${timeInForce}-${Date.now()}`,
          accountId: ACCOUNT,
          symbol: 'AAPL',
          side: 'BUY',
          orderType: 'LIMIT',
          quantity: 200,
          limitPrice: below,
          timeInForce,
        });
        expect(status).toBe(201);
        return String(json.orderId);
      };
      const [day, gtc] = [await place('DAY'), await place('GTC')];
      expect(Date.now()).toBeLessThan(close.getTime());
      const expired = (await waitForOrder(session.url, day, isFinal, 45_000)) as Detailed;
      expect(expired.status).toBe('EXPIRED');
      expect(Date.now()).toBeGreaterThanOrEqual(close.getTime() - 1_000);
      expect(expired.rejectReason).toBe('DAY order expired at the session close');
      expect(expired.children.every((c) => c.status === 'CANCELED')).toBe(true);
      expect((await waitForOrder(session.url, gtc, () => true)).status).toBe('NEW');
    } finally {
      await session.cleanUp();
    }
  }, 90_000);
});
