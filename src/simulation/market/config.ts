import { parsePrice, type Price } from '../../domain/money/price.js';

export interface SimulatedSymbol {
  readonly symbol: string;
  readonly startPrice: Price;
  readonly tick: Price;
}

/** How one simulated lit venue quotes: its spread, depth and typical size differ from the others'. */
export interface SimulatedVenue {
  readonly name: string;
  /** Half-spread around the fair price, in ticks (at least 1). */
  readonly halfSpreadTicks: number;
  readonly levels: number;
  /** Displayed size per level is a random number of round lots up to this. */
  readonly maxLotsPerLevel: number;
  /** Round lots added back to a level per step, after trades took liquidity. */
  readonly replenishLotsPerStep: number;
}

export interface MarketConfig {
  readonly seed: number;
  readonly symbols: readonly SimulatedSymbol[];
  readonly venues: readonly SimulatedVenue[];
}

export const ROUND_LOT = 100;

const CENT = parsePrice('0.01')!;

export const DEFAULT_SYMBOLS: readonly SimulatedSymbol[] = [
  ['AAPL', '150.00'],
  ['MSFT', '420.00'],
  ['GOOGL', '175.00'],
  ['AMZN', '185.00'],
  ['TSLA', '250.00'],
  ['SPY', '560.00'],
].map(([symbol, price]) => ({ symbol: symbol!, startPrice: parsePrice(price!)!, tick: CENT }));

/** Venue profiles for the first simulated venues; later names reuse them in turn. */
const VENUE_PROFILES: readonly Omit<SimulatedVenue, 'name'>[] = [
  { halfSpreadTicks: 1, levels: 6, maxLotsPerLevel: 8, replenishLotsPerStep: 1 },
  { halfSpreadTicks: 2, levels: 6, maxLotsPerLevel: 12, replenishLotsPerStep: 2 },
  { halfSpreadTicks: 1, levels: 5, maxLotsPerLevel: 5, replenishLotsPerStep: 1 },
  { halfSpreadTicks: 3, levels: 8, maxLotsPerLevel: 20, replenishLotsPerStep: 3 },
];

export function simulatedVenues(names: readonly string[]): SimulatedVenue[] {
  return names.map((name, i) => ({ name, ...VENUE_PROFILES[i % VENUE_PROFILES.length]! }));
}
