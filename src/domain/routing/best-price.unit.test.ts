import { describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../money/price.js';
import { routeBestPrice } from './best-price.js';
import type { RoutableOrder, VenueQuote } from './types.js';

const p = (text: string): Price => parsePrice(text)!;
const quote = (venue: string, bid: string | null, bidSize: number, ask: string | null, askSize: number): VenueQuote => ({
  venue,
  bidPrice: bid === null ? null : p(bid),
  bidSize,
  askPrice: ask === null ? null : p(ask),
  askSize,
});
const buy = (quantity: number, limit: string | null, timeInForce: RoutableOrder['timeInForce'] = 'DAY'): RoutableOrder => ({
  side: 'BUY',
  orderType: limit === null ? 'MARKET' : 'LIMIT',
  quantity,
  limitPrice: limit === null ? null : p(limit),
  timeInForce,
});
const book = [quote('A', '99.98', 300, '100.02', 200), quote('B', '99.99', 100, '100.01', 100), quote('C', '99.97', 500, '100.03', 0)];
const summary = (plan: ReturnType<typeof routeBestPrice>) => plan.children.map((c) => `${c.venue}:${c.quantity}:${c.timeInForce}`);

describe('best-price routing', () => {
  it('takes the best venue first and splits when its size is not enough', () => {
    expect(summary(routeBestPrice(buy(250, '100.02', 'IOC'), book, { defaultVenue: 'A' }))).toEqual(['B:100:IOC', 'A:150:IOC']);
  });

  it('skips a venue with zero size and stops the sweep at the limit, resting the rest', () => {
    const plan = routeBestPrice(buy(400, '100.01'), book, { defaultVenue: 'A' });
    expect(summary(plan)).toEqual(['B:100:IOC', 'B:300:DAY']);
    expect(plan.children[1]!.limitPrice).toBe(p('100.01'));
  });

  it('rests a passive order at the venue with the best bid', () => {
    expect(summary(routeBestPrice(buy(100, '99.00', 'GTC'), book, { defaultVenue: 'C' }))).toEqual(['B:100:GTC']);
  });

  it('adds what displayed size cannot take to the best venue for MARKET and IOC', () => {
    expect(summary(routeBestPrice(buy(1000, null), book, { defaultVenue: 'C' }))).toEqual(['B:800:IOC', 'A:200:IOC']);
    expect(routeBestPrice(buy(50, null), [], { defaultVenue: 'C' }).children).toEqual([
      { venue: 'C', quantity: 50, orderType: 'MARKET', limitPrice: null, timeInForce: 'IOC' },
    ]);
  });

  it('sends FOK whole to one venue that shows enough, or not at all', () => {
    expect(summary(routeBestPrice(buy(150, '100.02', 'FOK'), book, { defaultVenue: 'A' }))).toEqual(['A:150:FOK']);
    const none = routeBestPrice(buy(250, '100.02', 'FOK'), book, { defaultVenue: 'A' });
    expect(none.children).toEqual([]);
    expect(none.unroutedQuantity).toBe(250);
    expect(none.reason).toMatch(/no single venue/);
  });

  it('sells into the highest bid and handles odd lots and a crossed market', () => {
    const crossed = [quote('A', '100.05', 100, '100.04', 100), quote('B', '100.00', 100, '100.06', 100)];
    const sell = routeBestPrice({ side: 'SELL', orderType: 'LIMIT', quantity: 137, limitPrice: p('100.00'), timeInForce: 'IOC' }, crossed, {
      defaultVenue: 'B',
    });
    expect(summary(sell)).toEqual(['A:100:IOC', 'B:37:IOC']);
    expect(summary(routeBestPrice(buy(37, null), crossed, { defaultVenue: 'B' }))).toEqual(['A:37:IOC']);
  });
});
