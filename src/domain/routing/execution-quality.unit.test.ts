import { describe, expect, it } from 'vitest';
import { formatDecimal, type Money } from '../money/price.js';
import { aggregateExecutionQuality } from './execution-quality-aggregate.js';
import { executionQuality, venueExecutionQuality, type ExecutionFill, type OrderExecution } from './execution-quality.js';
import { p } from './test-support/books.js';

const money = (text: string): Money => p(text) as bigint as Money;
const fill = (venue: string, price: string, quantity: number, fee: string, atMs: number): ExecutionFill => ({
  venue,
  price: p(price),
  quantity,
  fee: money(fee),
  atMs,
});
const arrival = { bid: p('10.00'), ask: p('10.02') }; // mid 10.01
const show = (value: bigint | null) => (value === null ? null : formatDecimal(value));

// BUY 1000, 900 filled: 600 @10.01 (fee 1.80) + 300 @10.02 (fee 0.90) = 9012.00, fees 2.70.
const partBuy: OrderExecution = {
  side: 'BUY',
  orderedQuantity: 1000,
  arrival,
  arrivalAtMs: 1_000,
  childCount: 3,
  fills: [fill('A', '10.01', 600, '1.80', 1_040), fill('B', '10.02', 300, '0.90', 1_100)],
};
// SELL 500 filled in full at the bid, 10.00, fee 0.50, 250 ms after arrival.
const fullSell: OrderExecution = { side: 'SELL', orderedQuantity: 500, arrival, arrivalAtMs: 0, childCount: 1, fills: [fill('A', '10.00', 500, '0.50', 250)] };

describe('execution quality of one order', () => {
  it('measures a part-filled buy against the arrival NBBO', () => {
    const q = executionQuality(partBuy);
    expect([q.filledQuantity, show(q.fillRate), show(q.averagePrice)]).toEqual([900, '0.9', '10.01333333']); // 9012 / 900
    // Slippage: (10.013333.. - 10.01) / 10.01 = 6 / 18018 = 3.33000333 bp (paid above mid: a cost, positive).
    expect(show(q.slippageBps)).toBe('3.33000333');
    // With fees: (6 + 2 * 2.70) / 18018 = 6.327006327.. bp.
    expect(show(q.shortfallBps)).toBe('6.32700633');
    // Against the arrival ask 10.02: 900 * 10.02 - 9012 = 6.00 better; 6 / 900 per share; 6 / 9018 = 6.6533599.. bp.
    expect([show(q.priceImprovement), show(q.priceImprovementPerShare), show(q.priceImprovementBps)]).toEqual(['6', '0.00666667', '6.65335995']);
    expect([show(q.feesPaid), q.childCount, q.timeToFillMs]).toEqual(['2.7', 3, null]);
  });

  it('signs a sale below the mid as a cost, and times a full fill', () => {
    const q = executionQuality(fullSell);
    // (10.01 - 10.00) / 10.01 = 10 / 10010 = 9.99000999 bp; with fees (10 + 1) / 10010 = 10.98901099 bp. At the bid: no improvement.
    expect([show(q.slippageBps), show(q.shortfallBps), show(q.priceImprovement), q.timeToFillMs]).toEqual(['9.99000999', '10.98901099', '0', 250]);
  });

  it('credits a short sale at the midpoint with price improvement and a rebate', () => {
    // 200 @10.01 vs bid 10.00: 2.00 better, 0.01 a share, 2 / 2000 = 10 bp; at the mid, 0 slippage; rebate 0.40 makes the shortfall negative (a gain).
    const q = executionQuality({
      side: 'SELL_SHORT',
      orderedQuantity: 200,
      arrival,
      arrivalAtMs: 0,
      childCount: 1,
      fills: [fill('D', '10.01', 200, '-0.40', 5)],
    });
    expect([show(q.slippageBps), show(q.priceImprovement), show(q.priceImprovementPerShare), show(q.priceImprovementBps)]).toEqual(['0', '2', '0.01', '10']);
    // 2 * -0.40 / (200 * 20.02) = -1.998001998.. bp.
    expect(show(q.shortfallBps)).toBe('-1.998002');
  });

  it('leaves measures that need a missing arrival side or a fill as null', () => {
    const q = executionQuality({ side: 'BUY', orderedQuantity: 100, arrival: { bid: null, ask: p('10.02') }, arrivalAtMs: 0, childCount: 1, fills: [] });
    expect([q.filledQuantity, show(q.fillRate), q.averagePrice, q.slippageBps, q.priceImprovement, q.timeToFillMs]).toEqual([0, '0', null, null, null, null]);
    const oneSided = executionQuality({ ...partBuy, arrival: { bid: null, ask: p('10.02') } });
    expect([oneSided.slippageBps, show(oneSided.priceImprovement)]).toEqual([null, '6']);
  });
});

describe('execution quality over many orders', () => {
  it('weights by filled quantity and adds up money', () => {
    const all = aggregateExecutionQuality([executionQuality(partBuy), executionQuality(fullSell)]);
    // 1400 of 1500 filled. Slippage (900 * 3.33000333 + 500 * 9.99000999) / 1400 = 5.70857714 bp.
    expect([all.filledQuantity, show(all.fillRate), show(all.slippageBps)]).toEqual([1400, '0.93333333', '5.70857714']);
    // Shortfall (900 * 6.32700633 + 500 * 10.98901099) / 1400 = 7.99200799; improvement (900 * 6.65335995 + 0) / 1400 = 4.27715997.
    expect([show(all.shortfallBps), show(all.priceImprovementBps), show(all.priceImprovement)]).toEqual(['7.99200799', '4.27715997', '6']);
    expect([show(all.feesPaid), all.childCount, show(all.childrenPerOrder), all.averageTimeToFillMs]).toEqual(['3.2', 4, '2', 250]);
  });

  it('is empty for no orders', () => {
    expect(aggregateExecutionQuality([])).toMatchObject({ orders: 0, fillRate: 0n, slippageBps: null, averageTimeToFillMs: null });
  });
});

describe('execution quality per venue', () => {
  const view = (orders: Parameters<typeof venueExecutionQuality>[0]) =>
    venueExecutionQuality(orders).map((v) => ({
      venue: v.venue,
      fills: v.fills,
      filled: v.filledQuantity,
      prices: v.averagePriceBySymbol.map((s) => `${s.symbol} ${s.filledQuantity} @${show(s.averagePrice)}`),
      slippageBps: show(v.slippageBps),
      fees: show(v.feesPaid),
    }));

  it("sums each venue's fills, fees and prices per symbol, and its slippage against each order's arrival mid", () => {
    expect(
      view([
        { symbol: 'MSFT', execution: fullSell },
        { symbol: 'AAPL', execution: partBuy },
      ]),
    ).toEqual([
      // A: the buy's 600 at the mid (0 bp) and the sale's 500 at the bid, 10 / 10010 = 9.99000999 bp; (600 * 0 + 500 * 9.99000999) / 1100.
      { venue: 'A', fills: 2, filled: 1100, prices: ['AAPL 600 @10.01', 'MSFT 500 @10'], slippageBps: '4.54091363', fees: '2.3' },
      // B: 300 @10.02 against the mid 10.01, 6 / 6006 bp.
      { venue: 'B', fills: 1, filled: 300, prices: ['AAPL 300 @10.02'], slippageBps: '9.99000999', fees: '0.9' },
    ]);
    // Weighted by filled shares, the venues give the orders' own slippage: (1100 * 4.54091363 + 300 * 9.99000999) / 1400 = 5.70857714, as aggregated.
    const overall = aggregateExecutionQuality([executionQuality(partBuy), executionQuality(fullSell)]);
    expect(show(overall.slippageBps)).toBe('5.70857714');
  });

  it("averages one venue's price over the orders of a symbol, fills across orders weighted by shares", () => {
    const again: OrderExecution = { ...partBuy, arrival: { bid: p('10.04'), ask: p('10.06') }, fills: [fill('B', '10.05', 100, '-0.20', 2_000)] };
    const [, b] = view([
      { symbol: 'AAPL', execution: partBuy },
      { symbol: 'AAPL', execution: again },
    ]);
    // 300 @10.02 + 100 @10.05 = 4011.00 / 400 = 10.0275; slippage (300 * 9.99000999 + 100 * 0) / 400; a rebate lowers the fees.
    expect(b).toEqual({ venue: 'B', fills: 2, filled: 400, prices: ['AAPL 400 @10.0275'], slippageBps: '7.49250749', fees: '0.7' });
  });

  it('leaves slippage null without an arrival mid, and lists only venues that filled', () => {
    const oneSided: OrderExecution = { ...partBuy, arrival: { bid: null, ask: p('10.02') } };
    expect(view([{ symbol: 'AAPL', execution: oneSided }]).map((v) => [v.venue, v.filled, v.slippageBps])).toEqual([
      ['A', 600, null],
      ['B', 300, null],
    ]);
    expect(venueExecutionQuality([{ symbol: 'AAPL', execution: { ...partBuy, fills: [] } }])).toEqual([]);
    expect(venueExecutionQuality([])).toEqual([]);
  });
});
