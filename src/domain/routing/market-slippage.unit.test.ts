import { describe, expect, it } from 'vitest';
import { withMarketSlippage } from './market-slippage.js';
import { orderProtectionViolations } from './order-protection.js';
import { termsForAttempt } from './reroute.js';
import { routeOrder } from './strategy-registry.js';
import type { StrategyPlan } from './strategy-types.js';
import { dark, lit, market, order, summary } from './test-support/books.js';
import { consolidatedNbbo, type MarketView } from './venue-book.js';
import type { RoutableOrder } from './types.js';

function planned(routable: RoutableOrder, book: MarketView): StrategyPlan {
  const outcome = routeOrder(undefined, routable, book);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.plan;
}

const slipped = (routable: RoutableOrder, book: MarketView, ticks = 2): StrategyPlan =>
  withMarketSlippage(planned(routable, book), routable, consolidatedNbbo(book), ticks);

describe('a MARKET order`s children reach a few ticks past the level planned', () => {
  const oneVenue = market(lit('A', { bids: [['9.99', 500]], asks: [['10.00', 500]] }));

  it('widens a buy child`s limit up and a sell child`s down by the ticks allowed', () => {
    expect(summary(planned(order('BUY', 100, null), oneVenue))).toEqual(['A:100@10:IOC']);
    expect(summary(slipped(order('BUY', 100, null), oneVenue))).toEqual(['A:100@10.02:IOC']);
    expect(summary(slipped(order('SELL', 100, null), oneVenue, 3))).toEqual(['A:100@9.96:IOC']);
  });

  it('leaves LIMIT parents, and MARKET parents with no ticks allowed, as planned', () => {
    expect(summary(slipped(order('BUY', 100, '10.05'), oneVenue))).toEqual(['A:100@10:IOC']);
    expect(summary(slipped(order('BUY', 100, null), oneVenue, 0))).toEqual(['A:100@10:IOC']);
  });

  it('counts ticks of a hundredth of a cent below one dollar and of a cent from one dollar up', () => {
    const nearDollar = market(lit('A', { bids: [['0.9998', 500]], asks: [['0.9999', 500]] }));
    expect(summary(slipped(order('BUY', 100, null), nearDollar))).toEqual(['A:100@1.01:IOC']);
    const atDollar = market(lit('A', { bids: [['1.00', 500]], asks: [['1.01', 500]] }));
    expect(summary(slipped(order('SELL', 100, null), atDollar))).toEqual(['A:100@0.9998:IOC']);
    const penny = market(lit('A', { bids: [['0.0001', 500]], asks: [['0.0002', 500]] }));
    expect(summary(slipped(order('SELL', 100, null), penny))).toEqual(['A:100@0.0001:IOC']);
  });

  it('gives a child that is no intermarket sweep the whole reach: its venue protects the quotes it passes', () => {
    // A shows 100 at 10.00; B's 10.01 is not needed for 100 shares and is left to B.
    const book = market(
      lit('A', {
        asks: [
          ['10.00', 100],
          ['10.05', 500],
        ],
      }),
      lit('B', { asks: [['10.01', 300]] }),
    );
    expect(summary(slipped(order('BUY', 100, null), book))).toEqual(['A:100@10.02:IOC']);
  });

  it('stops an intermarket sweep child at the first protected quote its siblings do not take', () => {
    // 300 shares: A 100 @10.00, then B 200 @10.01, passing A's quote, which A's child takes: ISO.
    // B's child may reach 10.03, but C's 10.02 is left to C: it stops there (the same price is no
    // trade-through) and still passes only quotes its siblings take in full.
    const book = market(lit('A', { asks: [['10.00', 100]] }), lit('B', { asks: [['10.01', 200]] }), lit('C', { asks: [['10.02', 500]] }));
    expect(summary(planned(order('BUY', 300, null), book))).toEqual(['A:100@10:IOC', 'B:200@10.01:IOC:ISO']);
    const plan = slipped(order('BUY', 300, null), book);
    expect(summary(plan)).toEqual(['A:100@10.02:IOC', 'B:200@10.02:IOC:ISO']);
    expect(orderProtectionViolations('BUY', plan.children, consolidatedNbbo(book))).toEqual([]);
    // With a wider gap, the sweep child takes its whole reach.
    const wide = market(lit('A', { asks: [['10.00', 100]] }), lit('B', { asks: [['10.01', 200]] }), lit('C', { asks: [['10.05', 500]] }));
    expect(summary(slipped(order('BUY', 300, null), wide))).toEqual(['A:100@10.02:IOC', 'B:200@10.03:IOC:ISO']);
  });

  it('leaves a dark midpoint child as it is', () => {
    const book = market(lit('A', { bids: [['9.99', 500]], asks: [['10.01', 500]] }), dark('D'));
    const routable = order('BUY', 100, null);
    const outcome = routeOrder('DARK_FIRST', routable, book);
    if (!outcome.ok) throw new Error(outcome.reason);
    const plan = withMarketSlippage(outcome.plan, routable, consolidatedNbbo(book), 2);
    expect(plan.children.filter((c) => c.purpose === 'DARK_MIDPOINT')).toEqual(outcome.plan.children.filter((c) => c.purpose === 'DARK_MIDPOINT'));
  });
});

describe('the terms each route`s children go out on', () => {
  const book = market(lit('A', { asks: [['10.00', 500]] }));
  const marketBuy = order('BUY', 100, null);
  const plan = planned(marketBuy, book);
  const nbbo = consolidatedNbbo(book);

  it('reaches past the planned level on the routes before the last, and goes at MARKET on the last', () => {
    expect(summary(termsForAttempt(plan, marketBuy, nbbo, 1, 2))).toEqual(['A:100@10.02:IOC']);
    expect(summary(termsForAttempt(plan, marketBuy, nbbo, 2, 2))).toEqual(['A:100@10.02:IOC']);
    expect(termsForAttempt(plan, marketBuy, nbbo, 3, 2).children[0]).toMatchObject({ orderType: 'MARKET', limitPrice: null });
  });
});
