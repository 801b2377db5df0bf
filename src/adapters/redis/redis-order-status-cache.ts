import type { Redis } from 'ioredis';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { LuaScript } from './lua-script.js';
import { OutageReporter, silentLog, type RedisLog } from './redis-errors.js';

/** What the cache needs of a snapshot: its identity and a version that rises with every change. */
export interface VersionedOrder {
  readonly orderId: string;
  readonly version: number;
}

export type CachePutResult = 'stored' | 'stale' | 'unavailable';

// Compare-and-set on version: a redelivered or reordered older snapshot never replaces a newer
// one (an equal version is a duplicate and is ignored too). An unreadable entry is overwritten.
const PUT_IF_NEWER = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current then
  local ok, cached = pcall(cjson.decode, current)
  if ok and type(cached) == 'table' and type(cached.version) == 'number' and cached.version >= tonumber(ARGV[1]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`);

export interface OrderStatusCacheOptions {
  /** How long an order stays cached after its last change. */
  readonly ttlMs?: number;
  readonly log?: RedisLog;
}

/**
 * Latest status per order for the read API, under `order-status:{orderId}`. The database stays
 * the source of truth: every Redis failure is a miss or a no-op (logged once per outage), and
 * callers read the database instead.
 */
export class RedisOrderStatusCache<S extends VersionedOrder = OrderSnapshot> {
  private readonly ttlMs: number;
  private readonly outage: OutageReporter;

  constructor(
    private readonly client: Redis,
    options: OrderStatusCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60 * 60_000;
    this.outage = new OutageReporter(options.log ?? silentLog, 'order-status-cache');
  }

  async put(snapshot: S): Promise<CachePutResult> {
    try {
      const stored = await PUT_IF_NEWER.run(this.client, [key(snapshot.orderId)], [snapshot.version, JSON.stringify(snapshot), this.ttlMs]);
      this.outage.succeeded();
      return stored === 1 ? 'stored' : 'stale';
    } catch (error) {
      this.outage.failed('put', error);
      return 'unavailable';
    }
  }

  async get(orderId: string): Promise<S | undefined> {
    let text: string | null;
    try {
      text = await this.client.get(key(orderId));
      this.outage.succeeded();
    } catch (error) {
      this.outage.failed('get', error);
      return undefined;
    }
    return text === null ? undefined : decode<S>(text, orderId);
  }
}

const key = (orderId: string): string => `order-status:${orderId}`;

/** Our own writes, read back: checked only enough that a foreign value reads as a miss. */
function decode<S extends VersionedOrder>(text: string, orderId: string): S | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const candidate = value as Partial<VersionedOrder>;
    return candidate.orderId === orderId && typeof candidate.version === 'number' ? (value as S) : undefined;
  } catch {
    return undefined;
  }
}
