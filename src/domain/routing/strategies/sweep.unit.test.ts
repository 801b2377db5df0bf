import { describe, expect, it } from 'vitest';
import { orderProtectionViolations } from '../order-protection.js';
import { lit, market, order, summary } from '../test-support/books.js';
import { consolidatedNbbo } from '../venue-book.js';
import { routeSweep } from './sweep.js';

describe('SWEEP (fee-aware, across venues and levels)', () => {
  it('stops at the limit part way through the book and returns the rest', () => {
    // Effective asks: A 10.00+.003=10.003, B 10.01+.001=10.011, A 10.02+.003=10.023; B 10.03 is past the limit.
    // 100 + 300 + 200 = 600 taken, 400 left. Each child passes the other's better top, which it takes in full: ISO.
    const book = market(
      lit('A', {
        asks: [
          ['10.00', 100],
          ['10.02', 200],
        ],
        takerFee: '0.003',
      }),
      lit('B', {
        asks: [
          ['10.01', 300],
          ['10.03', 500],
        ],
        takerFee: '0.001',
      }),
    );
    const plan = routeSweep(order('BUY', 1000, '10.02'), book, {});
    expect(summary(plan)).toEqual(['A:300@10.02:IOC:ISO', 'B:300@10.01:IOC:ISO']);
    expect(plan.unroutedQuantity).toBe(400);
    expect(plan.reason).toBe('IOC remainder of 400 shares: displayed liquidity within the limit exhausted');
    expect(orderProtectionViolations('BUY', plan.children, consolidatedNbbo(book))).toEqual([]);
  });

  it('lets a worse price with a rebate win over a dearer level, after taking the better protected top', () => {
    // Effective: B 10.03-.01=10.02 < A 10.00+.03=10.03 < A 10.02+.03=10.05. Before B's 10.03 the
    // protected A 10.00 x100 must go; then B gives 200. Cost 100*10.03 + 200*10.02 = 3007.00,
    // against 100*10.03 + 200*10.05 = 3013.00 for a price-only sweep (A's 10.02 depth is not protected).
    const book = market(
      lit('A', {
        asks: [
          ['10.00', 100],
          ['10.02', 500],
        ],
        takerFee: '0.03',
      }),
      lit('B', { asks: [['10.03', 500]], takerFee: '-0.01' }),
    );
    expect(summary(routeSweep(order('BUY', 300, '10.05'), book, {}))).toEqual(['A:100@10:IOC', 'B:200@10.03:IOC:ISO']);
  });

  it('breaks a price tie by the cheaper fee', () => {
    // Both at 10.00: B costs 10.001, A 10.003.
    const book = market(lit('A', { asks: [['10.00', 100]], takerFee: '0.003' }), lit('B', { asks: [['10.00', 100]], takerFee: '0.001' }));
    expect(summary(routeSweep(order('BUY', 100, '10.00'), book, {}))).toEqual(['B:100@10:IOC']);
  });

  it('never trades through a better protected quote, but may pass an unprotected one', () => {
    // U 10.00 costs 10.03 with its fee, B 10.01 costs 10.01: B is cheaper.
    const venues = (protectedU: boolean) =>
      market(lit('U', { asks: [['10.00', 100]], takerFee: '0.03', protected: protectedU }), lit('B', { asks: [['10.01', 100]] }));
    expect(summary(routeSweep(order('BUY', 100, '10.05'), venues(false), {}))).toEqual(['B:100@10.01:IOC']);
    // Protected, U's 10.00 must be taken before anything at 10.01, and it fills the whole order.
    expect(summary(routeSweep(order('BUY', 100, '10.05'), venues(true), {}))).toEqual(['U:100@10:IOC']);
  });

  it('skips a venue with zero size and takes an odd lot; a MARKET order gets marketable LIMIT children', () => {
    // C's 10.00 shows 0, so its top is 10.01 x37. A 100 @10.00 then C 37 @10.01 (passing A, taken: ISO).
    const book = market(
      lit('A', { asks: [['10.00', 100]] }),
      lit('C', {
        asks: [
          ['10.00', 0],
          ['10.01', 37],
        ],
      }),
      lit('B', { asks: [['10.02', 500]] }),
    );
    const plan = routeSweep(order('BUY', 137, null), book, {});
    expect(summary(plan)).toEqual(['A:100@10:IOC', 'C:37@10.01:IOC:ISO']);
    expect(plan.children.every((c) => c.orderType === 'LIMIT')).toBe(true);
  });

  it('a MARKET order larger than the book takes everything and returns the rest', () => {
    const plan = routeSweep(
      order('BUY', 1000, null),
      market(
        lit('A', {
          asks: [
            ['10.00', 100],
            ['10.50', 100],
          ],
        }),
      ),
      {},
    );
    expect(summary(plan)).toEqual(['A:200@10.5:IOC']);
    expect([plan.unroutedQuantity, plan.reason]).toEqual([800, 'MARKET remainder of 800 shares: displayed liquidity exhausted']);
    expect(routeSweep(order('BUY', 50, null), market(), {}).unroutedQuantity).toBe(50);
  });

  it('sells into bids, highest effective first; SELL_SHORT routes the same', () => {
    // Seller's effective: B 10.00-.001=9.999, A 10.00-.003=9.997, C 9.99+.002=9.992 (rebate).
    const book = market(
      lit('A', { bids: [['10.00', 100]], takerFee: '0.003' }),
      lit('B', { bids: [['10.00', 200]], takerFee: '0.001' }),
      lit('C', { bids: [['9.99', 300]], takerFee: '-0.002' }),
    );
    expect(summary(routeSweep(order('SELL', 250, '9.99'), book, {}))).toEqual(['B:200@10:IOC', 'A:50@10:IOC']);
    expect(summary(routeSweep(order('SELL_SHORT', 250, '9.99'), book, {}))).toEqual(['B:200@10:IOC', 'A:50@10:IOC']);
    // 500: B 200, A 100, then C 200 at 9.99, passing both 10.00 bids which the plan takes in full.
    expect(summary(routeSweep(order('SELL', 500, '9.99'), book, {}))).toEqual(['B:200@10:IOC', 'A:100@10:IOC', 'C:200@9.99:IOC:ISO']);
  });

  it('uses crossed and locked markets as displayed', () => {
    // Crossed: A 10.05/10.06, B 10.03/10.04. A buyer takes B's 10.04 then A's 10.06; a seller hits A's 10.05.
    const crossed = market(lit('A', { bids: [['10.05', 100]], asks: [['10.06', 100]] }), lit('B', { bids: [['10.03', 100]], asks: [['10.04', 100]] }));
    expect(summary(routeSweep(order('BUY', 150, '10.06'), crossed, {}))).toEqual(['B:100@10.04:IOC', 'A:50@10.06:IOC:ISO']);
    expect(summary(routeSweep(order('SELL', 100, null), crossed, {}))).toEqual(['A:100@10.05:IOC']);
    // Locked: A bids 10.00, B offers 10.00.
    const locked = market(lit('A', { bids: [['10.00', 100]] }), lit('B', { asks: [['10.00', 100]] }));
    expect(summary(routeSweep(order('BUY', 100, '10.00'), locked, {}))).toEqual(['B:100@10:IOC']);
  });

  it('sends FOK whole to one venue, or not at all when no single venue can fill it', () => {
    const book = market(lit('A', { asks: [['10.00', 100]] }), lit('B', { asks: [['10.00', 100]] }));
    const none = routeSweep(order('BUY', 150, '10.00', 'FOK'), book, {});
    expect([none.children, none.unroutedQuantity, none.reason]).toEqual([[], 150, 'FOK: no single venue can fill 150 shares within the limit']);
    // A shows 200 over two levels, but its child at 10.01 would pass B's protected 10.00.
    const deep = market(
      lit('A', {
        asks: [
          ['10.00', 100],
          ['10.01', 100],
        ],
      }),
      lit('B', { asks: [['10.00', 100]] }),
    );
    expect(routeSweep(order('BUY', 150, '10.01', 'FOK'), deep, {}).reason).toMatch(/without trading through/);
    // C alone shows 200 at the best price: the FOK goes there.
    const whole = market(lit('A', { asks: [['10.00', 100]] }), lit('C', { asks: [['10.00', 200]] }));
    expect(summary(routeSweep(order('BUY', 150, null, 'FOK'), whole, {}))).toEqual(['C:150@10:FOK']);
  });
});
