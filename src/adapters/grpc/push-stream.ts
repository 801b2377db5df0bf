import { Code, ConnectError } from '@connectrpc/connect';

export interface PushStreamOptions<T> {
  /** Most items waiting for a slow reader; past it the stream fails (RESOURCE_EXHAUSTED). */
  readonly maxQueued: number;
  /** Items with the same key replace the one waiting (its place in line kept): latest wins. */
  readonly keyOf?: (item: T) => string;
}

/**
 * Bridges a push subscription (listener callbacks) to a server stream. The queue is bounded so a
 * client that stops reading cannot grow the server's memory; the stream ends when the call's
 * signal aborts: the client cancelled, its deadline passed, or the server is stopping (whose
 * reason, UNAVAILABLE, reaches the client).
 */
export class PushStream<T> {
  private readonly waiting = new Map<string | number, T>();
  private sequence = 0;
  private wake: (() => void) | undefined;
  private failure: ConnectError | undefined;

  constructor(private readonly options: PushStreamOptions<T>) {}

  push(item: T): void {
    if (this.failure) return;
    const key = this.options.keyOf?.(item) ?? this.sequence++;
    this.waiting.set(key, item);
    if (this.waiting.size > this.options.maxQueued) {
      this.failure = new ConnectError(`the client read too slowly: more than ${this.options.maxQueued} updates waiting`, Code.ResourceExhausted);
    }
    this.notify();
  }

  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    const onAbort = () => this.notify();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal.aborted) throw ConnectError.from(signal.reason, Code.Canceled);
        if (this.failure) throw this.failure;
        const next = this.waiting.entries().next();
        if (next.done) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const [key, item] = next.value;
        this.waiting.delete(key);
        yield item;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
