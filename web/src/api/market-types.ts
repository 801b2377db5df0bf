/** The market and position API's JSON (README; /openapi.json, tag market). Prices and money are decimal strings. */
export interface VenueQuote {
  venue: string;
  bidPrice: string | null;
  bidSize: number;
  askPrice: string | null;
  askSize: number;
}

export interface PriceLevel {
  price: string;
  size: number;
}

/** A lit venue's displayed levels, best first on each side (at most 10). */
export interface VenueDepth {
  venue: string;
  bids: PriceLevel[];
  asks: PriceLevel[];
}

/** GET /api/v1/marketdata/{symbol}: top of book and depth per lit venue, and the reference price. */
export interface MarketData {
  symbol: string;
  referencePrice: string;
  quotes: VenueQuote[];
  depth: VenueDepth[];
}

export interface Position {
  accountId: string;
  symbol: string;
  /** Signed: negative when short. */
  quantity: number;
  averageCost: string | null;
  costBasis: string;
  realizedPnl: string;
  /** Against the reference price (markPrice); null when the market has none. */
  unrealizedPnl: string | null;
  markPrice: string | null;
}

/** One line of GET /api/v1/execution-quality: the account's latest orders, together or of one strategy. */
export interface AggregateQuality {
  orders: number;
  orderedQuantity: number;
  filledQuantity: number;
  fillRate: string;
  slippageBps: string | null;
  shortfallBps: string | null;
  priceImprovementBps: string | null;
  priceImprovement: string;
  feesPaid: string;
  childrenPerOrder: string;
  averageTimeToFillMs: number | null;
}

export interface QualityReport {
  accountId: string;
  overall: AggregateQuality;
  /** DEFAULT: the router chose. */
  byStrategy: Record<string, AggregateQuality>;
  /** The same orders' fills by the venue that filled them. */
  byVenue: Record<string, VenueQuality>;
}

export interface VenueQuality {
  fills: number;
  filledQuantity: number;
  /** Symbol to the venue's average fill price in it (prices of two symbols do not average). */
  averagePriceBySymbol: Record<string, string>;
  /** Against the arrival NBBO mid of each fill's order, bp, weighted by shares; positive is worse. */
  slippageBps: string | null;
  /** From the venue's fee schedule; negative: rebates. */
  feesPaid: string;
}
