import { Type } from 'typebox';
import { Decimal, Nullable, errorResponses } from './common.js';

const Quote = Type.Object({
  venue: Type.String(),
  bidPrice: Nullable(Decimal('Best bid; null when the venue shows none')),
  bidSize: Type.Integer(),
  askPrice: Nullable(Decimal('Best offer; null when the venue shows none')),
  askSize: Type.Integer(),
});

const Level = Type.Object({ price: Decimal('Price'), size: Type.Integer() });

const VenueDepth = Type.Object({
  venue: Type.String(),
  bids: Type.Array(Level, { description: 'Best (highest) first' }),
  asks: Type.Array(Level, { description: 'Best (lowest) first' }),
});

export const marketDataSchema = {
  tags: ['market'],
  summary: 'Top of book and depth per lit venue, and the reference price of a symbol',
  params: Type.Object({ symbol: Type.String({ description: 'Case-insensitive' }) }),
  response: {
    200: Type.Object({
      symbol: Type.String(),
      referencePrice: Decimal('Reference price'),
      quotes: Type.Array(Quote),
      depth: Type.Array(VenueDepth, { description: "Each lit venue's displayed levels, best first, at most 10 a side" }),
    }),
    ...errorResponses(403, 404),
  },
};

const Position = Type.Object({
  accountId: Type.String(),
  symbol: Type.String(),
  quantity: Type.Integer({ description: 'Signed: negative when short' }),
  averageCost: Nullable(Decimal('Average cost; null when flat')),
  costBasis: Decimal('Cost basis'),
  realizedPnl: Decimal('Realized P&L'),
  unrealizedPnl: Nullable(Decimal('Against the current reference price; null when the market has none')),
  markPrice: Nullable(Decimal('The reference price used')),
});

export const positionsSchema = {
  tags: ['market'],
  summary: 'Positions of an account',
  querystring: Type.Unsafe<{ accountId?: string }>(Type.Object({ accountId: Type.String({ description: 'An account the caller is entitled to' }) })),
  response: { 200: Type.Object({ accountId: Type.String(), positions: Type.Array(Position) }), ...errorResponses(400, 403, 404) },
};
