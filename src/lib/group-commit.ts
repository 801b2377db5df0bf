interface Pending<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items in one write. */
  readonly maxBatch?: number;
  /**
   * Writes that may be in flight at once (default 1). A write beyond the first starts only once
   * `extraWriteMinBatch` items wait: under a burst the next batch is then already queued at the
   * database when the current one commits (a writer that must win PGlite's one connection keeps
   * it), while a light load still forms batches one write at a time. Use 1 where the order in
   * which batches commit matters.
   */
  readonly maxInFlight?: number;
  readonly extraWriteMinBatch?: number;
  readonly afterCommit?: () => void;
  /**
   * An idle committer waits for the end of the current event-loop turn (setImmediate) before it
   * writes, so items submitted together (one call per item in a loop, or callbacks of one fetch)
   * share the write instead of the first one going alone. Default false: write at once.
   */
  readonly gatherTurn?: boolean;
}

/**
 * Group commit: items submitted while a write is in flight share the next write. An idle
 * committer writes at once, so a lone item waits for nothing; under load, batches grow by
 * themselves. If a write fails, every item in it fails (the write is one transaction).
 */
export class GroupCommit<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private gathering = false;

  constructor(
    /** Writes a batch in one transaction; returns one result per item, in order. */
    private readonly write: (items: readonly Item[]) => Promise<readonly Result[]>,
    private readonly options: GroupCommitOptions = {},
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.options.gatherTurn) this.startWrites();
      else if (!this.gathering) {
        this.gathering = true;
        setImmediate(() => {
          this.gathering = false;
          this.startWrites();
        });
      }
    });
  }

  /** Resolves when every item submitted so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.gathering) {
      if (this.gathering) await new Promise((resolve) => setImmediate(resolve));
      else await Promise.all(this.inFlight);
    }
  }

  private startWrites(): void {
    const maxBatch = this.options.maxBatch ?? 500;
    const { maxInFlight = 1, extraWriteMinBatch = 1 } = this.options;
    while (this.queue.length > 0 && (this.inFlight.size === 0 || (this.inFlight.size < maxInFlight && this.queue.length >= extraWriteMinBatch))) {
      const batch = this.queue.splice(0, maxBatch);
      const written = this.writeBatch(batch).finally(() => {
        this.inFlight.delete(written);
        this.startWrites();
      });
      this.inFlight.add(written);
    }
  }

  private async writeBatch(batch: readonly Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((p) => p.item));
      batch.forEach((pending, i) => pending.resolve(results[i]!));
      this.options.afterCommit?.();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
