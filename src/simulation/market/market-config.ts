import { parsePrice, type Price } from '../../domain/money/price.js';
import type { VenueProfile } from '../../domain/routing/venue-book.js';

export interface SimulatedSymbol {
  readonly symbol: string;
  readonly startPrice: Price;
  readonly tick: Price;
}

/**
 * How one simulated venue quotes and charges. A lit venue shows a book whose spread, depth and
 * typical size differ from the others'; a dark pool shows nothing and holds hidden mid-point
 * interest instead. Fees are per share at the price scale; a negative taker fee pays takers
 * (inverted venue), a negative maker rebate is a fee charged to makers.
 */
export interface SimulatedVenue extends VenueProfile {
  /** Typical one-way latency; informational, the simulation does not delay. */
  readonly latencyMs: number;
  /** Widest half-spread around the fair price, in ticks (at least 1); lit venues tighten it at random. */
  readonly halfSpreadTicks: number;
  /** Displayed levels per side; 0 for a dark pool. */
  readonly levels: number;
  /** Displayed size per level is a random number of round lots up to this. */
  readonly maxLotsPerLevel: number;
  /** Round lots added back to a level per step, after trades took liquidity. */
  readonly replenishLotsPerStep: number;
  /** Dark pools: hidden interest per side is redrawn each step, 0 to this many round lots (often 0). */
  readonly maxHiddenLots: number;
}

export interface MarketConfig {
  readonly seed: number;
  readonly symbols: readonly SimulatedSymbol[];
  readonly venues: readonly SimulatedVenue[];
}

export const ROUND_LOT = 100;

const CENT = parsePrice('0.01')!;
const fee = (text: string): Price => parsePrice(text)!;

export const DEFAULT_SYMBOLS: readonly SimulatedSymbol[] = [
  ['AAPL', '150.00'],
  ['MSFT', '420.00'],
  ['GOOGL', '175.00'],
  ['AMZN', '185.00'],
  ['TSLA', '250.00'],
  ['SPY', '560.00'],
].map(([symbol, price]) => ({ symbol: symbol!, startPrice: parsePrice(price!)!, tick: CENT }));

type VenueShape = Omit<SimulatedVenue, 'name'>;

const lit = (shape: Omit<VenueShape, 'kind' | 'protected' | 'maxHiddenLots'>): VenueShape => ({ kind: 'LIT', protected: true, maxHiddenLots: 0, ...shape });

/**
 * Lit profiles by venue name, roughly as the real venues charge (2024 top-tier rates). The order is
 * the rotation used for names we do not know, so the first two keep the books they always had.
 */
const LIT_PROFILES: readonly (readonly [string, VenueShape])[] = [
  // NYSE: tight and thin, classic maker-taker.
  [
    'XNYS',
    lit({ takerFee: fee('0.0030'), makerRebate: fee('0.0020'), latencyMs: 0.6, halfSpreadTicks: 1, levels: 6, maxLotsPerLevel: 8, replenishLotsPerStep: 1 }),
  ],
  // Nasdaq: deeper, a tick wider at times, the best maker rebate.
  [
    'XNAS',
    lit({ takerFee: fee('0.0030'), makerRebate: fee('0.0025'), latencyMs: 0.5, halfSpreadTicks: 2, levels: 6, maxLotsPerLevel: 12, replenishLotsPerStep: 2 }),
  ],
  // Cboe BYX-style inverted venue: takers earn 0.0002, makers pay 0.0003; tight, small size.
  [
    'BATS',
    lit({ takerFee: fee('-0.0002'), makerRebate: fee('-0.0003'), latencyMs: 0.4, halfSpreadTicks: 1, levels: 5, maxLotsPerLevel: 5, replenishLotsPerStep: 1 }),
  ],
  // Cboe EDGX: wide but deep.
  [
    'EDGX',
    lit({ takerFee: fee('0.0030'), makerRebate: fee('0.0022'), latencyMs: 0.4, halfSpreadTicks: 3, levels: 8, maxLotsPerLevel: 20, replenishLotsPerStep: 3 }),
  ],
  // IEX: flat 0.0009 to take, no rebate, thin; its speed bump shows as latency.
  [
    'IEXG',
    lit({ takerFee: fee('0.0009'), makerRebate: fee('0'), latencyMs: 0.95, halfSpreadTicks: 2, levels: 5, maxLotsPerLevel: 4, replenishLotsPerStep: 1 }),
  ],
];

const ROTATION = LIT_PROFILES.slice(0, 4).map(([, shape]) => shape);

/** A dark pool: unprotected, no displayed book, hidden interest that trades only at the NBBO mid. */
const DARK_POOL: VenueShape = {
  kind: 'DARK',
  protected: false,
  takerFee: fee('0.0010'),
  makerRebate: fee('0'),
  latencyMs: 1,
  halfSpreadTicks: 1,
  levels: 0,
  maxLotsPerLevel: 0,
  replenishLotsPerStep: 0,
  maxHiddenLots: 30,
};

export const isDarkPoolName = (name: string): boolean => /DARK|DRK/i.test(name);

/** Known names get their own profile, names with DARK/DRK are dark pools, others rotate the lit profiles. */
export function simulatedVenues(names: readonly string[]): SimulatedVenue[] {
  const known = new Map(LIT_PROFILES);
  return names.map((name, i) => {
    const shape = isDarkPoolName(name) ? DARK_POOL : (known.get(name) ?? ROTATION[i % ROTATION.length]!);
    return { name, ...shape };
  });
}

/** What the router may know of a simulated venue. */
export function toVenueProfile(venue: SimulatedVenue): VenueProfile {
  return { name: venue.name, kind: venue.kind, takerFee: venue.takerFee, makerRebate: venue.makerRebate, protected: venue.protected };
}
