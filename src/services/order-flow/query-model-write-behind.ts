import type { Logger } from '../../ports/logger.js';
import type { HealthIndicator } from '../../ports/health.js';
import type { QueryModelWriter, StateChanges } from '../../ports/working-state.js';

interface Waiting {
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * Writes the journal's records to the query model behind the hot path: records that queue while
 * a write is in flight share the next transaction. Reads that must see a change wait for the
 * watermark to reach its record (`caughtUp`). A failed write is retried (the records stay queued
 * and in the journal), so the query model only ever lags, never loses a change.
 */
export class QueryModelWriteBehind {
  private pending: { seq: number; changes: StateChanges }[] = [];
  private waiting: Waiting[] = [];
  private writing: Promise<void> | undefined;
  private kickScheduled = false;
  private gatherTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private written = 0;
  private failing: { readonly error: unknown; readonly since: Date } | undefined;

  constructor(
    private readonly deps: {
      writer: QueryModelWriter;
      logger: Logger;
      /** Most journal records in one transaction. */
      maxBatch?: number;
      /**
       * How long records gather before a write starts, unless a read waits for them or a batch is
       * full. An order's states and its children's within the window become one row write each:
       * replaying the journal of 300 orders/s (`bench/query-model-replay.ts --window-ms`), a 20 ms
       * window wrote 1.43 order rows per order and a 250 ms one 1.06, and cost about a third of
       * the CPU (fewer, larger statements).
       */
      gatherMs?: number;
      /** After each write, with the new watermark and the number of journal records it wrote. */
      onWatermark?: (seq: number, records: number) => void;
    },
    initialWatermark: number,
  ) {
    this.written = initialWatermark;
  }

  get watermark(): number {
    return this.written;
  }

  /** While writes fail (they are retried): the last error and since when. */
  get failure(): { readonly error: unknown; readonly since: Date } | undefined {
    return this.failing;
  }

  /** Records in journal order. */
  push(seq: number, changes: StateChanges): void {
    this.pending.push({ seq, changes });
    this.schedule();
  }

  /** Resolves once the query model holds every record up to `seq`; a read waiting starts the write now. */
  caughtUp(seq: number): Promise<void> {
    if (seq <= this.written) return Promise.resolve();
    const caughtUp = new Promise<void>((resolve) => this.waiting.push({ seq, resolve }));
    this.kickSoon();
    return caughtUp;
  }

  /** Writes what is queued (each write starts the next), then stops; a failing write is left to the journal. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.kickSoon();
    while (this.writing || this.kickScheduled) await (this.writing ?? new Promise((resolve) => setImmediate(resolve)));
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  /** The next write after the gathering window, or soon when it must not wait. */
  private schedule(): void {
    if (this.urgent()) return this.kickSoon();
    if (this.gatherTimer || this.kickScheduled) return;
    this.gatherTimer = setTimeout(() => {
      this.gatherTimer = undefined;
      this.kick();
    }, this.deps.gatherMs);
    this.gatherTimer.unref();
  }

  /** A full batch, a read waiting, a stop, or no gathering window: no reason to wait. */
  private urgent(): boolean {
    return this.pending.length >= (this.deps.maxBatch ?? 1000) || this.waiting.length > 0 || this.stopping || !this.deps.gatherMs;
  }

  /**
   * On the next pass of the event loop, not now: a push comes from a turn still releasing its
   * ACKs and FIX messages, which must not wait for SQL to be built.
   */
  private kickSoon(): void {
    clearTimeout(this.gatherTimer);
    this.gatherTimer = undefined;
    if (this.kickScheduled) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing || this.retryTimer || this.stopped || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.deps.maxBatch ?? 1000);
    const throughSeq = batch[batch.length - 1]!.seq;
    this.writing = this.deps.writer
      .write(
        batch.map((r) => r.changes),
        throughSeq,
      )
      .then(
        () => {
          this.writing = undefined;
          this.failing = undefined;
          this.advance(throughSeq, batch.length);
          if (this.pending.length > 0) return this.urgent() ? this.kick() : this.schedule();
        },
        (error: unknown) => {
          this.writing = undefined;
          this.pending.unshift(...batch);
          this.failing = { error, since: this.failing?.since ?? new Date() };
          this.deps.logger.error({ err: error, throughSeq }, 'query model write failed; retrying in 1 s (the journal holds the changes)');
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.kick();
          }, 1000);
        },
      );
  }

  private advance(seq: number, records: number): void {
    this.written = seq;
    const ready = this.waiting.filter((w) => w.seq <= seq);
    if (ready.length > 0) this.waiting = this.waiting.filter((w) => w.seq > seq);
    for (const w of ready) w.resolve();
    this.deps.onWatermark?.(seq, records);
  }
}

/** Down while the query model's writes fail: lists, history and fills of orders no longer in memory go stale. */
export function queryModelHealth(writeBehind: QueryModelWriteBehind): HealthIndicator {
  return {
    // Orders are still taken and acknowledged from the journal: only reads of old orders go stale.
    name: 'query model',
    gatesReadiness: false,
    check: async () => {
      const failure = writeBehind.failure;
      if (!failure) return { up: true };
      const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
      return { up: false, detail: `writes failing since ${failure.since.toISOString()} (${reason}); retried every second` };
    },
  };
}
