import type { Redis } from 'ioredis';
import { formatDecimal, parsePrice, type Price } from '../../domain/money/price.js';
import type { VenueQuote } from '../../domain/routing/types.js';
import { OutageReporter, silentLog, type RedisLog } from './redis-errors.js';

/** A venue's top of book and when the venue (or simulator) stamped it. */
export interface TimedVenueQuote extends VenueQuote {
  /** ISO-8601 instant. */
  readonly timestamp: string;
}

/** The stored form: prices as decimal strings, never JSON numbers (binary floating point). */
interface StoredQuote {
  bidPrice: string | null;
  bidSize: number;
  askPrice: string | null;
  askSize: number;
  timestamp: string;
}

export interface QuoteCacheOptions {
  /** A symbol nobody quotes any more disappears after this; readers judge freshness by timestamp. */
  readonly ttlMs?: number;
  readonly log?: RedisLog;
}

/**
 * Latest quote per symbol and venue, in a hash `quotes:{symbol}` (field = venue), shared by
 * service instances. Degrades like the status cache: failures are misses or no-ops, logged once.
 */
export class RedisQuoteCache {
  private readonly ttlMs: number;
  private readonly outage: OutageReporter;

  constructor(
    private readonly client: Redis,
    options: QuoteCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60 * 60_000;
    this.outage = new OutageReporter(options.log ?? silentLog, 'quote-cache');
  }

  /** Replaces the given venues' quotes (other venues' stay); false when Redis did not take them. */
  async putQuotes(symbol: string, quotes: readonly TimedVenueQuote[]): Promise<boolean> {
    if (quotes.length === 0) return true;
    const fields: string[] = [];
    for (const quote of quotes) fields.push(quote.venue, JSON.stringify(encode(quote)));
    try {
      // One round trip, applied atomically: readers never see the hash without its TTL.
      const results = await this.client
        .multi()
        .hset(key(symbol), ...fields)
        .pexpire(key(symbol), this.ttlMs)
        .exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (results === null || failed) throw failed ?? new Error('transaction aborted');
      this.outage.succeeded();
      return true;
    } catch (error) {
      this.outage.failed('putQuotes', error);
      return false;
    }
  }

  /** Every venue's latest quote (by venue name), or undefined on a miss or while Redis is down. */
  async getQuotes(symbol: string): Promise<readonly TimedVenueQuote[] | undefined> {
    let hash: Record<string, string>;
    try {
      hash = await this.client.hgetall(key(symbol));
      this.outage.succeeded();
    } catch (error) {
      this.outage.failed('getQuotes', error);
      return undefined;
    }
    const quotes: TimedVenueQuote[] = [];
    for (const venue of Object.keys(hash).sort()) {
      const quote = decode(venue, hash[venue] ?? '');
      if (quote) quotes.push(quote);
    }
    return quotes.length > 0 ? quotes : undefined;
  }
}

const key = (symbol: string): string => `quotes:${symbol}`;

function encode(quote: TimedVenueQuote): StoredQuote {
  return {
    bidPrice: quote.bidPrice === null ? null : formatDecimal(quote.bidPrice),
    bidSize: quote.bidSize,
    askPrice: quote.askPrice === null ? null : formatDecimal(quote.askPrice),
    askSize: quote.askSize,
    timestamp: quote.timestamp,
  };
}

/** A malformed entry is skipped rather than trusted: a wrong price is worse than no quote. */
function decode(venue: string, text: string): TimedVenueQuote | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const stored = parsed as Partial<StoredQuote>;
  const bidPrice = decodePrice(stored.bidPrice);
  const askPrice = decodePrice(stored.askPrice);
  if (bidPrice === undefined || askPrice === undefined) return undefined;
  if (typeof stored.bidSize !== 'number' || typeof stored.askSize !== 'number' || typeof stored.timestamp !== 'string') return undefined;
  return { venue, bidPrice, bidSize: stored.bidSize, askPrice, askSize: stored.askSize, timestamp: stored.timestamp };
}

/** null stays null (no price on that side); anything but a decimal string is malformed (undefined). */
function decodePrice(value: unknown): Price | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' ? parsePrice(value) : undefined;
}
