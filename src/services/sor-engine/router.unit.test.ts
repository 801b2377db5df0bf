import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { ClaimedLiquidity, type LiquidityClaims } from '../../domain/routing/claimed-liquidity.js';
import { InFlightLiquidity } from '../../domain/routing/in-flight-liquidity.js';
import type { MarketView, VenueBook } from '../../domain/routing/venue-book.js';
import { createMetrics } from '../../adapters/observability/prometheus-metrics.js';
import type { MarketDataView } from '../../ports/market-data.js';
import { silentLogger } from '../order-flow/test-support/order-flow-for-tests.js';
import { Router } from './router.js';

const px = (text: string): Price => parsePrice(text)!;
const book = (name: string, asks: [string, number][]): VenueBook => ({
  profile: { name, kind: 'LIT', takerFee: px('0'), makerRebate: px('0'), protected: true },
  bids: [{ price: px('99.99'), size: 500 }],
  asks: asks.map(([price, size]) => ({ price: px(price), size })),
});
// One market step: 300 shares displayed at 100.01 (200 on XNYS, 100 on XNAS), 400 more at 100.02 on XNYS.
const step: MarketView = {
  venues: [
    book('XNYS', [
      ['100.01', 200],
      ['100.02', 400],
    ]),
    book('XNAS', [['100.01', 100]]),
  ],
};
const marketData: MarketDataView = {
  marketView: () => step,
  quotes: () => [],
  referencePrice: () => px('100.00'),
  venueProfile: (name) => step.venues.find((v) => v.profile.name === name)?.profile,
};

const buy = (quantity: number) => {
  const order = createOrder(
    uuidv7(),
    { clientOrderId: `C-${quantity}`, accountId: 'ACC-1', symbol: 'ACME', side: 'BUY', orderType: 'MARKET', quantity, limitPrice: null, timeInForce: 'DAY' },
    new Date(),
  );
  return { type: 'RouteRequested' as const, order: toSnapshot({ ...order, status: 'NEW' }), quantity, attempt: 1 };
};
const placed = (router: Router, quantity: number) =>
  router
    .route(buy(quantity), new Date())
    .children.map((c) => `${c.venue} ${c.quantity} @ ${c.limitPrice === null ? 'MKT' : String(Number(c.limitPrice) / 1e8)}`)
    .sort();
// No slippage unless a test asks for it: the children show the levels the router planned.
const routerWith = (claims?: LiquidityClaims, marketSlippageTicks = 0) =>
  new Router({
    marketData,
    venues: ['XNYS', 'XNAS'],
    newId: uuidv7,
    logger: silentLogger,
    metrics: createMetrics(),
    marketSlippageTicks,
    ...(claims ? { claims } : {}),
  });

describe('Router on a market that arrives a step at a time', () => {
  it('without claims, sends two orders on one step at the same displayed shares', () => {
    const router = routerWith();
    expect(placed(router, 300)).toEqual(placed(router, 300));
  });

  it('with claims, sends the second order of a step to what the first left, and the next step starts afresh', () => {
    const claims = new ClaimedLiquidity();
    const router = routerWith(claims);
    const first = placed(router, 300);
    expect(first).toEqual(['XNAS 100 @ 100.01', 'XNYS 200 @ 100.01']);
    expect(placed(router, 300)).toEqual(['XNYS 300 @ 100.02']);
    claims.newStep('ACME');
    expect(placed(router, 300)).toEqual(first);
  });

  it('still routes an order when every displayed share of the step is claimed', () => {
    const claims = new ClaimedLiquidity();
    claims.claim('ACME', [
      { venue: 'XNYS', side: 'BUY', quantity: 600 },
      { venue: 'XNAS', side: 'BUY', quantity: 100 },
    ]);
    const children = routerWith(claims).route(buy(100), new Date()).children;
    expect(children.reduce((sum, c) => sum + c.quantity, 0)).toBe(100);
  });
});

describe('Router and the venues it may use', () => {
  it('routes only to venues the execution adapter reaches, and not to those the request excludes', () => {
    const onlyXnas = new Router({ marketData, venues: ['XNAS'], newId: uuidv7, logger: silentLogger, metrics: createMetrics(), marketSlippageTicks: 0 });
    expect(placed(onlyXnas, 300).map((child) => child.split(' ')[0])).toEqual(['XNAS']);
    const excluded = routerWith().route({ ...buy(300), excludeVenues: ['XNAS'] }, new Date()).children;
    expect(excluded.map((child) => child.venue)).toEqual(['XNYS']);
    expect(placed(routerWith(), 300)).toEqual(['XNAS 100 @ 100.01', 'XNYS 200 @ 100.01']);
  });
});

describe('Router and a MARKET order', () => {
  it('marks the child that passes a quote its sibling takes an intermarket sweep, in the message to the execution adapter', () => {
    // 400 shares: XNYS's 200 and XNAS's 100 at 100.01, then XNYS's 100.02: XNYS's child passes
    // XNAS's 100.01, which XNAS's child takes in full.
    const messages = routerWith(undefined, 0)
      .route(buy(400), new Date())
      .messages.map((m) => m.payload)
      .filter((p) => p.type === 'ChildOrderRouted');
    const sweeps = Object.fromEntries(messages.map((p) => [`${p.venue} ${p.quantity} @ ${p.limitPrice}`, p.intermarketSweep ?? false]));
    expect(sweeps).toEqual({ 'XNYS 300 @ 100.02': true, 'XNAS 100 @ 100.01': false });
  });

  it('lets its children reach the configured ticks past the level planned', () => {
    expect(placed(routerWith(undefined, 2), 300)).toEqual(['XNAS 100 @ 100.03', 'XNYS 200 @ 100.03']);
    expect(placed(routerWith(undefined, 0), 300)).toEqual(['XNAS 100 @ 100.01', 'XNYS 200 @ 100.01']);
  });
});

describe("Router on the venues' own books", () => {
  it('sends the next order around the children still on their way, and to the book as displayed once their venues answered them', () => {
    const router = routerWith(new InFlightLiquidity());
    const described = (children: readonly { venue: string; quantity: number }[]) => children.map((c) => `${c.venue} ${c.quantity}`).sort();
    const first = router.route(buy(300), new Date()).children;
    expect(described(first)).toEqual(['XNAS 100', 'XNYS 200']);
    const second = router.route(buy(300), new Date()).children;
    expect(second.map((c) => `${c.venue} ${c.quantity} @ ${Number(c.limitPrice) / 1e8}`)).toEqual(['XNYS 300 @ 100.02']);
    for (const child of [...first, ...second]) router.venueAnswered(child.childOrderId);
    expect(described(router.route(buy(300), new Date()).children)).toEqual(described(first));
  });
});
