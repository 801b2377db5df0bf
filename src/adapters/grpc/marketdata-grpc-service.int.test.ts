import { Code } from '@connectrpc/connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDecimal } from '../../domain/money/price.js';
import { MarketDataService, type SymbolQuotes } from '../../gen/oms/v1/marketdata_pb.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../simulation/market/market-config.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { marketDataGrpcRoutes, QuoteChangeFeed } from './marketdata-grpc-service.js';
import { failure, startGrpcTestServer, until } from './test-support/grpc.js';

describe('MarketDataService over gRPC', () => {
  let market: SimulatedMarket;
  let feed: QuoteChangeFeed;
  let listeners: number;
  let grpc: Awaited<ReturnType<typeof startGrpcTestServer>>;

  beforeEach(async () => {
    market = new SimulatedMarket({ seed: 42, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS', 'DARKX']) });
    feed = new QuoteChangeFeed();
    listeners = 0;
    // Counts live subscriptions, so the test knows when a stream is following the feed.
    const onQuotes = (listener: (symbol: string) => void) => {
      listeners++;
      const unsubscribe = feed.onQuotes(listener);
      return () => {
        listeners--;
        unsubscribe();
      };
    };
    grpc = await startGrpcTestServer(marketDataGrpcRoutes({ marketData: market, onQuotes, clock: { now: () => new Date() } }));
  });

  afterEach(async () => {
    await grpc.close();
  });

  const expectCurrent = (quotes: SymbolQuotes | undefined, symbol: string) => {
    expect(quotes?.symbol).toBe(symbol);
    expect(quotes?.referencePrice).toBe(formatDecimal(market.referencePrice(symbol)!));
    expect(quotes?.quotes.map((q) => [q.venue, q.bidPrice, q.bidSize, q.askPrice, q.askSize])).toEqual(
      market
        .quotes(symbol)
        .map((q) => [
          q.venue,
          q.bidPrice === null ? undefined : formatDecimal(q.bidPrice),
          BigInt(q.bidSize),
          q.askPrice === null ? undefined : formatDecimal(q.askPrice),
          BigInt(q.askSize),
        ]),
    );
  };

  it('answers the top of book per lit venue, and NOT_FOUND for an unknown symbol', async () => {
    const client = grpc.client(MarketDataService);
    const { quotes } = await client.getQuotes({ symbol: 'aapl' });
    expectCurrent(quotes, 'AAPL');
    expect(quotes?.quotes.map((q) => q.venue)).toEqual(['XNYS', 'XNAS']);
    expect(quotes?.timestamp).toBeDefined();
    const error = await failure(client.getQuotes({ symbol: 'NOPE' }));
    expect(error.code).toBe(Code.NotFound);
  });

  it('streams the current quotes first, then changes, until the client cancels', async () => {
    const client = grpc.client(MarketDataService);
    const abort = new AbortController();
    const received: SymbolQuotes[] = [];
    const reading = failure(
      (async () => {
        for await (const { quotes } of client.streamQuotes({ symbols: ['AAPL', 'MSFT', 'AAPL'] }, { signal: abort.signal })) {
          received.push(quotes!);
          if (received.length === 2) {
            // The first two are the current quotes; now the market moves.
            expectCurrent(received[0], 'AAPL');
            expectCurrent(received[1], 'MSFT');
            market.step();
            feed.publish(market.symbols());
          }
          if (received.length === 4) abort.abort();
        }
      })(),
    );

    expect((await reading).code).toBe(Code.Canceled);
    expect(received.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT', 'AAPL', 'MSFT']);
    expectCurrent(received[2], 'AAPL');
    expectCurrent(received[3], 'MSFT');
    await until(() => listeners === 0);
  });

  it('sends nothing for a change that left the quotes alone, and rejects unknown or no symbols', async () => {
    const client = grpc.client(MarketDataService);
    const abort = new AbortController();
    const received: SymbolQuotes[] = [];
    const reading = failure(
      (async () => {
        for await (const { quotes } of client.streamQuotes({ symbols: ['SPY'] }, { signal: abort.signal })) received.push(quotes!);
      })(),
    );
    await until(() => received.length === 1 && listeners === 1);
    feed.publish(['SPY', 'SPY']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort();
    expect((await reading).code).toBe(Code.Canceled);
    expect(received).toHaveLength(1);

    for (const symbols of [[], ['AAPL', 'NOPE']]) {
      const error = await failure(
        (async () => {
          for await (const _ of client.streamQuotes({ symbols })) void _;
        })(),
      );
      expect(error.code).toBe(symbols.length === 0 ? Code.InvalidArgument : Code.NotFound);
    }
  });
});
