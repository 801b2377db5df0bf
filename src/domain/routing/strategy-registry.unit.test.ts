import { describe, expect, it } from 'vitest';
import { orderProtectionViolations } from './order-protection.js';
import { routeOrder } from './strategy-registry.js';
import { STRATEGY_NAMES } from './strategy-types.js';
import { dark, lit, market, order, summary } from './test-support/books.js';
import type { RoutableOrder } from './types.js';
import { consolidatedNbbo } from './venue-book.js';

// A deliberately awkward book: fees that invert the ranking, an unprotected venue, a zero-size
// top, an odd lot, depth on both sides and a dark pool.
const book = market(
  lit('A', {
    bids: [
      ['10.00', 100],
      ['9.97', 400],
    ],
    asks: [
      ['10.02', 100],
      ['10.05', 300],
    ],
    takerFee: '0.03',
    makerRebate: '0.002',
  }),
  lit('B', {
    bids: [
      ['9.99', 37],
      ['9.98', 500],
    ],
    asks: [
      ['10.03', 0],
      ['10.04', 500],
    ],
    takerFee: '-0.01',
    makerRebate: '0.001',
  }),
  lit('C', {
    bids: [['10.00', 200]],
    asks: [
      ['10.02', 200],
      ['10.03', 63],
    ],
    takerFee: '0.001',
  }),
  lit('M', { bids: [['10.01', 100]], asks: [['10.01', 100]], protected: false }),
  dark('D'),
);

const orders: RoutableOrder[] = [
  order('BUY', 700, '10.05'),
  order('BUY', 2000, null),
  order('BUY', 450, '10.04', 'DAY'),
  order('SELL', 900, '9.97'),
  order('SELL_SHORT', 300, null, 'GTC'),
  order('SELL', 137, '9.98', 'FOK'),
];

describe('strategy registry', () => {
  it('defaults to the fee-aware sweep, posting the remainder of an order that may rest', () => {
    const outcome = routeOrder(undefined, order('BUY', 100, '10.05'), book);
    expect(outcome.ok && outcome.plan.strategy).toBe('SWEEP');
    const resting = routeOrder('', order('BUY', 100, '9.00', 'DAY'), book);
    expect(resting.ok && [resting.plan.strategy, ...summary(resting.plan)]).toEqual(['POST_PASSIVE', 'A:100@9:DAY:POST']);
  });

  it('refuses an unknown strategy with a stable code and the known names', () => {
    expect(routeOrder('VWAP', order('BUY', 100, null), book)).toEqual({
      ok: false,
      code: 'UNKNOWN_STRATEGY',
      reason: 'unknown routing strategy "VWAP"; known: BEST_PRICE_FEE_AWARE, SWEEP, SPRAY, DARK_FIRST, POST_PASSIVE',
    });
  });

  it.each(STRATEGY_NAMES)('%s never trades through, never passes the limit and never over-allocates', (name) => {
    const nbbo = consolidatedNbbo(book);
    for (const o of orders) {
      for (const darkFill of [undefined, 0, 100]) {
        const outcome = routeOrder(name, o, book, darkFill === undefined ? {} : { darkFill });
        if (!outcome.ok) throw new Error(outcome.reason);
        const { plan } = outcome;
        expect(plan.strategy).toBe(name);
        expect(orderProtectionViolations(o.side, plan.children, nbbo)).toEqual([]);
        const placed = plan.children.reduce((sum, c) => sum + c.quantity, 0);
        expect(placed + plan.unroutedQuantity).toBe(name === 'DARK_FIRST' && darkFill !== undefined ? o.quantity - darkFill : o.quantity);
        for (const c of plan.children) {
          expect(c.quantity).toBeGreaterThan(0);
          if (o.limitPrice !== null && c.limitPrice !== null) expect(o.side === 'BUY' ? c.limitPrice <= o.limitPrice : c.limitPrice >= o.limitPrice).toBe(true);
          if (c.purpose !== 'POST') expect(['IOC', 'FOK']).toContain(c.timeInForce);
        }
      }
    }
  });
});
