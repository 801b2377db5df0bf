import type { Logger } from '../../ports/logger.js';

/** What compaction needs of the journal (FileJournal). */
export interface CompactableJournal {
  /** Whole segments holding only records at or below `seq`. */
  segmentsThrough(seq: number): number;
  /** Drops those segments, oldest first, and syncs the directory. */
  truncateThrough(seq: number): Promise<void>;
}

export interface JournalCompactionOptions {
  readonly journal: CompactableJournal;
  /** The journal seq the query model holds every record up to (committed there). */
  readonly watermark: () => number;
  /** Puts everything the query model committed so far on disk (for PGlite: CHECKPOINT and fsync). */
  readonly makeDurable: () => Promise<void>;
  readonly logger: Logger;
  /** How often it looks (default 5 s). */
  readonly checkMs?: number;
  /** Compacts at most this often unless `segments` are waiting (default 30 s)... */
  readonly everyMs?: number;
  /** ...this many droppable segments compact at the next look (default 4: 256 MiB). */
  readonly segments?: number;
}

/**
 * Drops the journal segments the query model made redundant, off the hot path, in an order
 * that loses nothing whenever the process dies:
 * 1. the watermark W is read first: the query model has committed every record up to W;
 * 2. the query model's files are put on disk (a crash here: the journal is whole);
 * 3. only then are the segments wholly at or below W removed, oldest first, and the directory
 *    synced (a crash part way: the journal lost a prefix of records the query model holds on
 *    disk; a restart writes the journal's records above the query model's watermark, ≥ W).
 */
export class JournalCompaction {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private lastRun = performance.now();
  private stopped = false;

  constructor(private readonly options: JournalCompactionOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running || !this.due()) return;
      this.running = this.compact().finally(() => (this.running = undefined));
    }, this.options.checkMs ?? 5_000);
    this.timer.unref();
  }

  /** Compacts now; returns the segments dropped. A failure is logged and left to the next run. */
  async compact(): Promise<number> {
    const { journal, watermark, makeDurable, logger } = this.options;
    this.lastRun = performance.now();
    const through = watermark();
    const segments = journal.segmentsThrough(through);
    if (segments === 0) return 0;
    const started = performance.now();
    try {
      await makeDurable();
      if (this.stopped) return 0;
      await journal.truncateThrough(through);
      logger.info({ through, segments, ms: Math.round(performance.now() - started) }, 'journal compacted: segments the query model holds on disk dropped');
      return segments;
    } catch (error) {
      logger.warn({ err: error, through }, 'journal compaction failed; retrying at the next run');
      return 0;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private due(): boolean {
    const segments = this.options.journal.segmentsThrough(this.options.watermark());
    if (segments >= (this.options.segments ?? 4)) return true;
    return segments > 0 && performance.now() - this.lastRun >= (this.options.everyMs ?? 30_000);
  }
}
