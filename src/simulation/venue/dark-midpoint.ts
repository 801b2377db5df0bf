import type { Price } from '../../domain/money/price.js';
import { consolidatedNbbo } from '../../domain/routing/venue-book.js';
import type { SimulatedMarket } from '../market/simulated-market.js';

/**
 * The price a dark pool trades at: the midpoint of the lit venues' protected NBBO, exact to the
 * price scale (a half-cent mid is fine at 8 decimals; an odd raw sum, impossible with whole-cent
 * quotes, rounds half up). No mid when the NBBO is one-sided, empty or crossed: a dark pool
 * without a reference price does not trade.
 */
export function darkMidpoint(market: SimulatedMarket, symbol: string): Price | null {
  const nbbo = consolidatedNbbo(market.marketView(symbol));
  if (nbbo.state === 'CROSSED') return null;
  return nbbo.mid;
}
