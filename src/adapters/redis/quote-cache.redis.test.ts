import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../../domain/money/price.js';
import { RedisQuoteCache, type TimedVenueQuote } from './quote-cache.js';
import type { Redis } from './redis-connection.js';
import { cleanUpRedis, connectTestRedis, uniqueKeyPrefix } from './test-support/redis.js';

const price = (text: string): Price => parsePrice(text)!;

describe('RedisQuoteCache on a real Redis', () => {
  const prefix = uniqueKeyPrefix();
  let client: Redis;
  let cache: RedisQuoteCache;

  beforeAll(async () => {
    client = await connectTestRedis({ keyPrefix: prefix });
    cache = new RedisQuoteCache(client, { ttlMs: 30_000 });
  });
  afterAll(() => cleanUpRedis(prefix, client));

  const nyse: TimedVenueQuote = {
    venue: 'NYSE',
    bidPrice: price('150.25'),
    bidSize: 300,
    askPrice: price('150.27'),
    askSize: 200,
    timestamp: '2026-01-05T14:30:00.123Z',
  };
  // 0.1 + 0.2 style values and the smallest tick: exact only if nothing passes through a float.
  const iex: TimedVenueQuote = {
    venue: 'IEX',
    bidPrice: price('0.30000001'),
    bidSize: 100,
    askPrice: price('12345678901.00000001'),
    askSize: 1,
    timestamp: '2026-01-05T14:30:00.456Z',
  };
  const empty: TimedVenueQuote = { venue: 'ARCA', bidPrice: null, bidSize: 0, askPrice: null, askSize: 0, timestamp: '2026-01-05T14:30:01.000Z' };

  it('round-trips quotes with exact prices, stored as decimal strings', async () => {
    expect(await cache.putQuotes('AAPL', [nyse, iex, empty])).toBe(true);
    expect(await cache.getQuotes('AAPL')).toEqual([empty, iex, nyse]);
    const raw = JSON.parse((await client.hget('quotes:AAPL', 'IEX'))!) as Record<string, unknown>;
    expect(raw).toEqual({ bidPrice: '0.30000001', bidSize: 100, askPrice: '12345678901.00000001', askSize: 1, timestamp: iex.timestamp });
    const ttl = await client.pttl('quotes:AAPL');
    expect(ttl).toBeGreaterThan(20_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('replaces a venue quote and keeps the other venues', async () => {
    const newer = { ...nyse, bidPrice: price('150.26'), timestamp: '2026-01-05T14:30:02.000Z' };
    await cache.putQuotes('MSFT', [nyse, iex]);
    await cache.putQuotes('MSFT', [newer]);
    expect(await cache.getQuotes('MSFT')).toEqual([iex, newer]);
  });

  it('reads an unknown symbol as a miss and skips malformed entries', async () => {
    expect(await cache.getQuotes('NONE')).toBeUndefined();
    await client.hset(
      'quotes:TSLA',
      'BAD',
      JSON.stringify({ bidPrice: 150.25, bidSize: 1, askPrice: '1', askSize: 1, timestamp: 'x' }),
      'GOOD',
      JSON.stringify({ bidPrice: '1.5', bidSize: 1, askPrice: null, askSize: 0, timestamp: 't' }),
    );
    expect(await cache.getQuotes('TSLA')).toEqual([{ venue: 'GOOD', bidPrice: price('1.5'), bidSize: 1, askPrice: null, askSize: 0, timestamp: 't' }]);
  });
});
