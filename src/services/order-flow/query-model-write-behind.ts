import type { Logger } from '../../adapters/observability/logger.js';
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
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private written = 0;

  constructor(
    private readonly deps: {
      writer: QueryModelWriter;
      logger: Logger;
      /** Most journal records in one transaction. */
      maxBatch?: number;
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

  /** Records in journal order. */
  push(seq: number, changes: StateChanges): void {
    this.pending.push({ seq, changes });
    // Not now: the turn that pushed is still releasing its ACKs and FIX messages, which must not
    // wait for SQL to be built; and the turns released in this pass of the event loop share the write.
    if (this.kickScheduled) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      this.kick();
    });
  }

  /** Resolves once the query model holds every record up to `seq`. */
  caughtUp(seq: number): Promise<void> {
    if (seq <= this.written) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ seq, resolve }));
  }

  /** Writes what is queued (each write starts the next), then stops; a failing write is left to the journal. */
  async stop(): Promise<void> {
    while (this.writing || this.kickScheduled) await (this.writing ?? new Promise((resolve) => setImmediate(resolve)));
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private kick(): void {
    if (this.writing || this.retryTimer || this.stopped || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.deps.maxBatch ?? 1000);
    const throughSeq = batch[batch.length - 1]!.seq;
    this.writing = this.deps.writer.write(batch.map((r) => r.changes), throughSeq).then(
      () => {
        this.writing = undefined;
        this.advance(throughSeq, batch.length);
        this.kick();
      },
      (error: unknown) => {
        this.writing = undefined;
        this.pending.unshift(...batch);
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
