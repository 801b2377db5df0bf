import { describe, expect, it } from 'vitest';
import { lit, market, order, summary } from '../test-support/books.js';
import { routeBestPriceFeeAware } from './best-price-fee-aware.js';

describe('BEST_PRICE_FEE_AWARE (top of book only)', () => {
  const book = market(
    lit('A', {
      asks: [
        ['10.00', 100],
        ['10.01', 500],
      ],
      takerFee: '0.003',
    }),
    lit('B', { asks: [['10.00', 50]], takerFee: '0.001' }),
    lit('Z', {
      asks: [
        ['10.00', 0],
        ['10.00', 0],
      ],
    }),
  );

  it('takes each venue`s top only, cheapest effective first, and leaves depth alone', () => {
    // Tops: B 10.00 (10.001) x50, A 10.00 (10.003) x100; Z shows nothing. 150 taken of 300.
    const plan = routeBestPriceFeeAware(order('BUY', 300, '10.01'), book, {});
    expect(summary(plan)).toEqual(['B:50@10:IOC', 'A:100@10:IOC']);
    expect(plan.unroutedQuantity).toBe(150);
  });

  it('FOK looks at tops only: no single top shows 120', () => {
    expect(routeBestPriceFeeAware(order('BUY', 120, '10.01', 'FOK'), book, {}).unroutedQuantity).toBe(120);
    expect(summary(routeBestPriceFeeAware(order('BUY', 80, '10.01', 'FOK'), book, {}))).toEqual(['A:80@10:FOK']);
  });
});
