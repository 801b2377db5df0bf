import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { formatDecimal } from '../../domain/money/price.js';
import { takeableLevels, type PriceLevel } from '../../domain/routing/venue-book.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { OrderQueries } from '../../ports/order-queries.js';
import { accountNotFound, refusal, roleRefusal } from './access-guard.js';
import { apiError } from './errors.js';
import { marketDataSchema, positionsSchema } from './schemas/market-schemas.js';

/** Levels per side and venue in a market data answer. */
const DEPTH_LEVELS = 10;

/** Market data per symbol (top of book and depth per venue and the reference price, for any role) and positions per entitled account. */
export function registerMarketRoutes(app: FastifyInstance, deps: { marketData: MarketDataView; queries: OrderQueries }): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get('/api/v1/marketdata/:symbol', { schema: marketDataSchema }, async (request, reply) => {
    const refused = roleRefusal(request, 'marketdata:read');
    if (refused) return reply.status(refused.status).send(refused.body);
    const symbol = request.params.symbol.toUpperCase();
    const reference = deps.marketData.referencePrice(symbol);
    if (reference === null) {
      const mapped = apiError('NOT_FOUND', [{ field: 'symbol', message: `no market data for ${symbol}` }]);
      return reply.status(mapped.status).send(mapped.body);
    }
    const quotes = deps.marketData.quotes(symbol).map((q) => ({
      venue: q.venue,
      bidPrice: q.bidPrice === null ? null : formatDecimal(q.bidPrice),
      bidSize: q.bidSize,
      askPrice: q.askPrice === null ? null : formatDecimal(q.askPrice),
      askSize: q.askSize,
    }));
    // The displayed depth the router sees (the web blotter's ladder); dark pools show none.
    const levels = (list: readonly PriceLevel[]) => list.slice(0, DEPTH_LEVELS).map((l) => ({ price: formatDecimal(l.price), size: l.size }));
    const depth = deps.marketData
      .marketView(symbol)
      .venues.filter((book) => book.profile.kind === 'LIT')
      .map((book) => ({ venue: book.profile.name, bids: levels(takeableLevels(book, false)), asks: levels(takeableLevels(book, true)) }));
    return reply.send({ symbol, referencePrice: formatDecimal(reference), quotes, depth });
  });

  api.get('/api/v1/positions', { schema: positionsSchema }, async (request, reply) => {
    const { accountId } = request.query;
    if (!accountId) {
      const mapped = apiError('VALIDATION_FAILED', [{ field: 'accountId', message: 'is required' }]);
      return reply.status(mapped.status).send(mapped.body);
    }
    const refused = refusal(request, 'order:read', accountId, accountNotFound);
    if (refused) return reply.status(refused.status).send(refused.body);
    return reply.send({ accountId, positions: await deps.queries.positions(accountId) });
  });
}
