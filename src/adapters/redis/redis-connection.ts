import { Redis } from 'ioredis';
import type { HealthIndicator, HealthStatus } from '../../ports/health.js';

export type { Redis };

export interface RedisConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** Prepended to every key (tests isolate themselves with one; deployments may share a Redis). */
  readonly keyPrefix?: string;
  readonly connectTimeoutMs?: number;
  /** A command without a reply by then fails, so a half-open connection cannot stall a caller. */
  readonly commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts. */
  readonly maxReconnectDelayMs?: number;
  readonly connectionName?: string;
  /** Connection errors (refused, reset...). ioredis reconnects by itself; this is for logs. */
  readonly onError?: (error: Error) => void;
}

/**
 * An ioredis client tuned to fail fast: while Redis is down, commands are rejected at once
 * (no offline queue, one retry per request, no resend of in-flight commands after a reconnect),
 * so callers degrade instead of hanging; the client keeps reconnecting with capped back-off.
 */
export function createRedisClient(options: RedisConnectionOptions): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client = new Redis({
    host: options.host,
    port: options.port,
    keyPrefix: options.keyPrefix,
    connectionName: options.connectionName,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // A lock SET or INCR replayed after a reconnect could take effect after its caller gave up.
    autoResendUnfulfilledCommands: false,
    // Never give up (return a number every time): Redis coming back must be picked up on its own.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay) + Math.floor(Math.random() * 50),
  });
  // An 'error' event without a listener is printed by ioredis on every reconnection attempt.
  client.on('error', options.onError ?? (() => undefined));
  return client;
}

/** Resolves once the client is connected and ready; rejects after timeoutMs. */
export function waitForRedisReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis at ${client.options.host}:${client.options.port} not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}

/** PING, reported as an actuator health status; never throws. */
export async function pingRedis(client: Redis): Promise<HealthStatus> {
  // Without a connection the command would fail anyway; say why instead.
  if (client.status !== 'ready') return { up: false, detail: `connection ${client.status}` };
  try {
    const reply = await client.ping();
    return reply === 'PONG' ? { up: true } : { up: false, detail: `unexpected PING reply ${reply}` };
  } catch (error) {
    return { up: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

export function redisHealthIndicator(client: Redis, name = 'redis'): HealthIndicator {
  // Registered only where the service cannot work without Redis (risk-service's per-account lock).
  return { name, gatesReadiness: true, check: () => pingRedis(client) };
}

/** QUIT when connected (lets replies in flight arrive), else just drop the socket and stop reconnecting. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through to disconnect
    }
  }
  client.disconnect();
}
