/** What a Poller reads, where its answers go, and how often. */
export interface Polling<T> {
  readonly read: () => Promise<T>;
  /** Each answer, unless the poller has been stopped since the read began. */
  readonly onValue: (value: T) => void;
  /** What `read` (or `onValue`) threw, unless stopped. Without it, the read's promise rejects. */
  readonly onError?: (error: unknown) => void;
  readonly everyMs: number;
}

export interface PollerTimers {
  setInterval(tick: () => void, ms: number): ReturnType<typeof setInterval>;
  clearInterval(timer: ReturnType<typeof setInterval>): void;
}

const globalTimers: PollerTimers = { setInterval: (tick, ms) => setInterval(tick, ms), clearInterval: (timer) => clearInterval(timer) };

/**
 * Reads now and every `everyMs` until stopped, one read at a time: the page's views poll APIs that
 * have no stream.
 *
 * The guard against overlapping reads: a read in flight is never overlapped. A tick that finds one
 * is dropped, so a slow server gets one request at a time rather than a queue of them, and answers
 * arrive in the order asked (a late answer can never replace a newer one). `refresh()` is for a
 * caller that has just changed something (a risk officer's action): a read in flight may have begun
 * before the change, so refresh waits for it and then reads once more (calls while waiting share
 * that one read), and resolves when that read's answer has been delivered.
 *
 * After stop(), no answer or error is delivered, even of a read already in flight.
 */
export class Poller<T> {
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly polling: Polling<T>,
    private readonly timers: PollerTimers = globalTimers,
  ) {}

  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    void this.tick();
    this.timer = this.timers.setInterval(() => void this.tick(), this.polling.everyMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A read that begins after this call, its answer delivered when the promise resolves. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.inFlight) return this.read();
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        // A tick may have begun a read in the meantime: it began after the call, so it will do.
        return this.stopped ? undefined : (this.inFlight ?? this.read());
      });
    return this.queued;
  }

  private tick(): Promise<void> {
    return this.inFlight ? Promise.resolve() : this.read();
  }

  private read(): Promise<void> {
    const reading = this.readOnce().finally(() => {
      if (this.inFlight === reading) this.inFlight = undefined;
    });
    this.inFlight = reading;
    return reading;
  }

  private async readOnce(): Promise<void> {
    try {
      const value = await this.polling.read();
      if (!this.stopped) this.polling.onValue(value);
    } catch (error) {
      if (this.stopped) return;
      if (!this.polling.onError) throw error;
      this.polling.onError(error);
    }
  }
}
