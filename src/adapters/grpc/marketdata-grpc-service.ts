import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { formatDecimal } from '../../domain/money/price.js';
import {
  GetQuotesResponseSchema,
  MarketDataService,
  StreamQuotesResponseSchema,
  SymbolQuotesSchema,
  type SymbolQuotes,
} from '../../gen/oms/v1/marketdata_pb.js';
import type { Clock } from '../../ports/clock.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { GrpcRoutes } from './grpc-server.js';
import { timestampFromIso, toInt64 } from './proto-values.js';
import { PushStream } from './push-stream.js';

/** "This symbol's quotes may have changed"; the stream reads the current quotes when it sends. */
export type QuoteListener = (symbol: string) => void;
export type OnQuotes = (listener: QuoteListener) => () => void;

export interface MarketDataGrpcDeps {
  readonly marketData: Pick<MarketDataView, 'quotes' | 'referencePrice'>;
  /** Subscribes to quote changes; returns unsubscribe (MarketFeedReplica.onSnapshot, or a QuoteChangeFeed). */
  readonly onQuotes: OnQuotes;
  readonly clock: Clock;
}

const MAX_SYMBOLS = 100;

/** marketdata-simulator's MarketDataService: top of book per venue, once or as a stream. */
export function marketDataGrpcRoutes(deps: MarketDataGrpcDeps): GrpcRoutes {
  const snapshot = (symbol: string): SymbolQuotes => symbolQuotes(deps.marketData, symbol, deps.clock.now());
  const known = (symbol: string): boolean => deps.marketData.referencePrice(symbol) !== null;

  return (router: ConnectRouter) =>
    router.service(MarketDataService, {
      async getQuotes(request) {
        const symbol = request.symbol.toUpperCase();
        if (!known(symbol)) throw new ConnectError(`no market data for ${symbol}`, Code.NotFound);
        return create(GetQuotesResponseSchema, { quotes: snapshot(symbol) });
      },

      async *streamQuotes(request, context) {
        const symbols = [...new Set(request.symbols.map((s) => s.toUpperCase()))];
        if (symbols.length === 0 || symbols.length > MAX_SYMBOLS) throw new ConnectError(`symbols must name 1 to ${MAX_SYMBOLS} symbols`, Code.InvalidArgument);
        const unknown = symbols.filter((s) => !known(s));
        if (unknown.length > 0) throw new ConnectError(`no market data for ${unknown.join(', ')}`, Code.NotFound);

        // Keyed by symbol: a slow reader holds at most one pending entry per symbol and gets the latest quotes.
        const stream = new PushStream<string>({ maxQueued: symbols.length, keyOf: (symbol) => symbol });
        const wanted = new Set(symbols);
        const unsubscribe = deps.onQuotes((symbol) => {
          if (wanted.has(symbol)) stream.push(symbol);
        });
        const lastSent = new Map<string, string>();
        try {
          // Subscribed first, so no change between the current quotes and the first update is lost.
          symbols.forEach((symbol) => stream.push(symbol));
          for await (const symbol of stream.drain(context.signal)) {
            const quotes = snapshot(symbol);
            const fingerprint = fingerprintOf(quotes);
            if (lastSent.get(symbol) === fingerprint) continue;
            lastSent.set(symbol, fingerprint);
            yield create(StreamQuotesResponseSchema, { quotes });
          }
        } finally {
          unsubscribe();
        }
      },
    });
}

function symbolQuotes(marketData: MarketDataGrpcDeps['marketData'], symbol: string, at: Date): SymbolQuotes {
  const reference = marketData.referencePrice(symbol);
  return create(SymbolQuotesSchema, {
    symbol,
    referencePrice: reference === null ? undefined : formatDecimal(reference),
    quotes: marketData.quotes(symbol).map((q) => ({
      venue: q.venue,
      bidPrice: q.bidPrice === null ? undefined : formatDecimal(q.bidPrice),
      bidSize: toInt64(q.bidSize),
      askPrice: q.askPrice === null ? undefined : formatDecimal(q.askPrice),
      askSize: toInt64(q.askSize),
    })),
    timestamp: timestampFromIso(at.toISOString()),
  });
}

/** Everything but the timestamp: a market step that left the top of book alone sends nothing. */
const fingerprintOf = (q: SymbolQuotes): string =>
  `${q.referencePrice}|${q.quotes.map((v) => `${v.venue}:${v.bidPrice}:${v.bidSize}:${v.askPrice}:${v.askSize}`).join('|')}`;

/**
 * Fans quote changes out to streams where the source has no subscription of its own (the
 * simulator's MarketDriver): `driver.onStep(() => feed.publish(market.symbols()))`.
 */
export class QuoteChangeFeed {
  private readonly listeners = new Set<QuoteListener>();

  readonly onQuotes: OnQuotes = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  publish(symbols: Iterable<string>): void {
    if (this.listeners.size === 0) return;
    for (const symbol of symbols) for (const listener of this.listeners) listener(symbol);
  }
}
