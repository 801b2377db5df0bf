import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { isFinal, postOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';

/** Four lit venues with different fees and books, and a dark pool, each a FIX session over loopback. */
const VENUES = ['XNYS', 'XNAS', 'BATS', 'EDGX', 'DARKX'].map((v) => `${v}=127.0.0.1:0:OMS:${v}`).join(',');
const ACCOUNT = 'ACC-SOR';

let system: Awaited<ReturnType<typeof startTestSystem>>;
let limitAbove: string;

beforeAll(async () => {
  system = await startTestSystem({ OMS_VENUES: VENUES, RISK_PRICE_COLLAR_BPS: '500' });
  const market = (await (await fetch(`${system.url}/api/v1/marketdata/MSFT`)).json()) as { referencePrice: string };
  const reference = parseDecimal(market.referencePrice)!;
  limitAbove = formatDecimal(((reference + reference / 100n) / 1_000_000n) * 1_000_000n); // 1% above, on the cent grid
});

afterAll(async () => {
  await system?.cleanUp();
});

type Detailed = Omit<OrderJson, 'children'> & {
  strategy: string | null;
  createdAt: string;
  children: {
    childOrderId: string;
    venue: string;
    routeAttempt: number;
    strategy: string | null;
    status: string;
    quantity: number;
    filledQuantity: number;
    limitPrice: string | null;
    nbboBid: string | null;
    nbboAsk: string | null;
    routedAt: string;
  }[];
  executionQuality: { fillRate: string; filledQuantity: number; slippageBps: string | null; feesPaid: string; childCount: number } | null;
};

async function trade(overrides: Record<string, unknown>): Promise<Detailed> {
  const body = {
    clientOrderId: `SOR-${Math.random().toString(36).slice(2)}`,
    accountId: ACCOUNT,
    symbol: 'MSFT',
    side: 'BUY',
    orderType: 'LIMIT',
    limitPrice: limitAbove,
    timeInForce: 'IOC',
    ...overrides,
  };
  const { status, json } = await postOrder(system.url, body);
  expect(status, JSON.stringify(json)).toBe(201);
  return (await waitForOrder(system.url, String(json.orderId), isFinal)) as Detailed;
}

describe('smart order routing in the running system', () => {
  it('sweeps an order larger than any one venue shows across several venues, and reports its execution quality', async () => {
    const done = await trade({ quantity: 4000 });
    const venues = new Set(done.fills!.map((f) => f.venue));
    expect(venues.size, JSON.stringify(done.children)).toBeGreaterThan(1);
    expect(done.fills!.reduce((sum, f) => sum + f.quantity, 0)).toBe(done.filledQuantity);
    expect(done.children.every((c) => c.strategy === 'SWEEP')).toBe(true);
    // The routing decision: one NBBO for the attempt, and a BUY sweep takes offers at or above its ask.
    const first = done.children.filter((c) => c.routeAttempt === 1);
    expect(new Set(first.map((c) => `${c.nbboBid}x${c.nbboAsk}`)).size).toBe(1);
    const bid = parseDecimal(first[0]!.nbboBid!)!;
    const ask = parseDecimal(first[0]!.nbboAsk!)!;
    expect(bid < ask).toBe(true);
    for (const child of first) {
      expect(parseDecimal(child.limitPrice!)! >= ask, JSON.stringify(child)).toBe(true);
      expect(Date.parse(child.routedAt)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
    }
    const quality = done.executionQuality!;
    expect(quality.filledQuantity).toBe(done.filledQuantity);
    expect(quality.childCount).toBe(done.children.length);
    expect(Number(quality.fillRate)).toBeCloseTo(done.filledQuantity / 4000, 8);
    expect(quality.slippageBps).not.toBeNull();
  });

  it('tries the dark pool first with DARK_FIRST, then routes what is left to lit venues', async () => {
    const done = await trade({ quantity: 1500, strategy: 'DARK_FIRST' });
    expect(done.strategy).toBe('DARK_FIRST');
    const first = done.children.filter((c) => c.routeAttempt === 1);
    expect(first.map((c) => c.venue)).toEqual(['DARKX']);
    const darkFilled = first[0]!.filledQuantity;
    if (darkFilled < 1500) expect(done.children.some((c) => c.routeAttempt > 1 && c.venue !== 'DARKX')).toBe(true);
  });

  it('refuses an unknown strategy with a 400 naming the field', async () => {
    const { status, json } = await postOrder(system.url, {
      clientOrderId: 'SOR-BAD',
      accountId: ACCOUNT,
      symbol: 'MSFT',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 10,
      timeInForce: 'IOC',
      strategy: 'FASTEST',
    });
    expect(status).toBe(400);
    expect(JSON.stringify(json)).toContain('strategy');
  });

  it('aggregates execution quality per account and strategy', async () => {
    const response = await fetch(`${system.url}/api/v1/execution-quality?accountId=${ACCOUNT}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      overall: { orders: number; filledQuantity: number; feesPaid: string };
      byStrategy: Record<string, { orders: number }>;
      byVenue: Record<
        string,
        { fills: number; filledQuantity: number; averagePriceBySymbol: Record<string, string>; slippageBps: string | null; feesPaid: string }
      >;
    };
    expect(report.overall.orders).toBe(2);
    expect(Object.keys(report.byStrategy).sort()).toEqual(['DARK_FIRST', 'DEFAULT']);
    // Per venue, the same orders' fills: every share and every fee once, at the venue that filled it.
    const venues = Object.entries(report.byVenue);
    expect(venues.length).toBeGreaterThan(1);
    expect(venues.reduce((n, [, v]) => n + v.filledQuantity, 0)).toBe(report.overall.filledQuantity);
    expect(formatDecimal(venues.reduce((sum, [, v]) => sum + parseDecimal(v.feesPaid)!, 0n))).toBe(report.overall.feesPaid);
    for (const [venue, v] of venues) {
      expect(v.fills, venue).toBeGreaterThan(0);
      expect(Object.keys(v.averagePriceBySymbol), venue).toEqual(['MSFT']);
      expect(parseDecimal(v.averagePriceBySymbol.MSFT!), venue).toBeDefined();
      expect(v.slippageBps, venue).not.toBeNull();
    }
    const missing = await fetch(`${system.url}/api/v1/execution-quality`);
    expect(missing.status).toBe(400);
  });
});
