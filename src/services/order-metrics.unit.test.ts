import { describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../domain/money/price.js';
import { createMetrics } from '../adapters/observability/prometheus-metrics.js';
import { OrderMetrics, rejectCode } from './order-metrics.js';

const px = (text: string): Price => parsePrice(text)!;

describe('OrderMetrics', () => {
  it('counts notional in whole cents of the exact sum, carrying fractions of a cent per venue', async () => {
    const metrics = createMetrics();
    const recorder = new OrderMetrics(metrics);
    // 3 x 0.333 = 0.999 each: a per-fill rounding would count 1 cent three times.
    for (let i = 0; i < 3; i += 1) recorder.fill({ venue: 'XNYS', quantity: 3, price: px('0.00333') });
    recorder.fill({ venue: 'XNAS', quantity: 7, price: px('150.10') });
    const values = (await metrics.fillNotionalCents.get()).values;
    expect(values.find((v) => v.labels.venue === 'XNYS')?.value).toBe(2); // 2.997 cents
    expect(values.find((v) => v.labels.venue === 'XNAS')?.value).toBe(105_070);
    expect((await metrics.filledQuantity.get()).values.find((v) => v.labels.venue === 'XNYS')?.value).toBe(9);
  });

  it('names a reject by its risk code, anything else VENUE_OR_ROUTE', () => {
    expect(rejectCode('MAX_QUANTITY: 5000 > 1000')).toBe('MAX_QUANTITY');
    expect(rejectCode('KILL_SWITCHES are fun')).toBe('VENUE_OR_ROUTE');
    expect(rejectCode('no venue quotes AAPL')).toBe('VENUE_OR_ROUTE');
    expect(rejectCode(null)).toBe('VENUE_OR_ROUTE');
  });
});
