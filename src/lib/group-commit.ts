interface Pending<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a write is in flight share the next write. An idle
 * committer writes at once, so a lone item waits for nothing; under load, batches grow by
 * themselves. If a write fails, every item in it fails (the write is one transaction).
 */
export class GroupCommit<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    /** Writes a batch in one transaction; returns one result per item, in order. */
    private readonly write: (items: readonly Item[]) => Promise<readonly Result[]>,
    private readonly options: { maxBatch?: number; afterCommit?: () => void } = {},
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Resolves when every item submitted so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    const maxBatch = this.options.maxBatch ?? 500;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, maxBatch);
      try {
        const results = await this.write(batch.map((p) => p.item));
        batch.forEach((pending, i) => pending.resolve(results[i]!));
        this.options.afterCommit?.();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = undefined;
  }
}
