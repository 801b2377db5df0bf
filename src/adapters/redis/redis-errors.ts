/** Redis could not answer (down, unreachable, timed out, or refused the command). */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(operation: string, cause: unknown) {
    super(`Redis unavailable during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The smallest logger surface the adapters need; a pino Logger fits. */
export interface RedisLog {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export const silentLog: RedisLog = { warn: () => undefined, info: () => undefined };

/**
 * Logs a Redis outage once when it starts and once when it ends, not on every failed call:
 * a cache in front of every read would otherwise flood the logs while Redis is down.
 */
export class OutageReporter {
  private down = false;

  constructor(
    private readonly log: RedisLog,
    private readonly component: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  failed(operation: string, error: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.log.warn({ component: this.component, operation, err: reason }, `${this.component}: Redis unavailable, degrading to misses until it recovers`);
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ component: this.component }, `${this.component}: Redis available again`);
  }
}
