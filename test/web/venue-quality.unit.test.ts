import { describe, expect, it } from 'vitest';
import { venueQualityRows } from '../../web/src/quality/venue-quality.js';

/** The execution quality view's per-venue table (web/src/quality/venue-quality.ts): the API's byVenue, and its total. */
describe('per-venue execution quality rows', () => {
  it('lists the venues in name order with their prices per symbol, and totals shares and fees exactly', () => {
    const { rows, total } = venueQualityRows({
      XNYS: { fills: 2, filledQuantity: 300, averagePriceBySymbol: { AAPL: '150.015' }, slippageBps: '0.99966678', feesPaid: '0.9' },
      BATS: { fills: 1, filledQuantity: 100, averagePriceBySymbol: { AAPL: '150.02', MSFT: '420.1' }, slippageBps: null, feesPaid: '-0.2' },
      EDGX: { fills: 1, filledQuantity: 100, averagePriceBySymbol: { AAPL: '150.01' }, slippageBps: '0', feesPaid: '0.1' },
    });
    expect(rows.map((r) => [r.venue, r.fills, r.filledQuantity, r.averagePrice, r.slippageBps, r.feesPaid])).toEqual([
      ['BATS', 1, 100, 'AAPL 150.02 · MSFT 420.1', null, '-0.2'],
      ['EDGX', 1, 100, '150.01', '0', '0.1'],
      ['XNYS', 2, 300, '150.015', '0.99966678', '0.9'],
    ]);
    // 0.9 - 0.2 + 0.1 in binary floats is 0.7999999999999999.
    expect(total).toEqual({ fills: 4, filledQuantity: 500, feesPaid: '0.8' });
  });

  it('is empty with no venues', () => {
    expect(venueQualityRows({})).toEqual({ rows: [], total: { fills: 0, filledQuantity: 0, feesPaid: '0' } });
  });
});
