import type { SqlClient } from '../../ports/sql.js';
import { tryTransactionLock } from '../sql/transaction-lock.js';

/** One pruner at a time on a database: a second would only wait on the first one's rows. */
const PRUNER_LOCK = 'oms.inbox-pruner.';

/** Deletes up to $2 claims older than $1 seconds by the server's clock (processed_at is its now()). */
const DELETE_OLD_CLAIMS = `WITH gone AS (
    DELETE FROM processed_events WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM processed_events WHERE processed_at < now() - make_interval(secs => $1) LIMIT $2))
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

export interface InboxPrunerOptions {
  readonly db: SqlClient;
  /**
   * How long a claim is kept, in seconds. At least the topics' retention: a record still in Kafka
   * was published less than that long ago, and its claim was made after it was published, so
   * every event Kafka can still deliver (a relay's republish, a redelivery after a crash, a group
   * whose offsets expired reading from the start) finds its claim and is dropped.
   */
  readonly retentionSeconds: number;
  /** Between rounds; default 10 minutes. */
  readonly intervalMs?: number;
  /** Claims deleted per transaction; default 10,000. */
  readonly batchSize?: number;
  readonly onPruned?: (count: number) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Keeps the idempotent consumers' inbox (processed_events) from growing forever: every consumer
 * batch claims its event ids there, eight or nine rows per order. Each round deletes the claims
 * older than the retention, in batches of their own transactions, so no round holds many locks.
 */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  /** Set by stop(): a round ends after its current batch, so a large first round never holds up a shutdown. */
  private stopped = false;

  constructor(private readonly options: InboxPrunerOptions) {}

  start(): void {
    const { intervalMs = 600_000, onError } = this.options;
    const run = () => {
      this.round = this.pruneOnce().catch((error: unknown) => onError?.(error));
    };
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
  }

  /** One round: returns how many claims it deleted (0 when another pruner holds the lock). */
  async pruneOnce(): Promise<number> {
    const { db, retentionSeconds, batchSize = 10_000, onPruned } = this.options;
    let total = 0;
    for (;;) {
      const deleted = await db.transaction(async (tx) => {
        if (!(await tryTransactionLock(tx, PRUNER_LOCK))) return 0;
        const [row] = await tx.query<{ n: number }>(DELETE_OLD_CLAIMS, [retentionSeconds, batchSize]);
        return row?.n ?? 0;
      });
      total += deleted;
      if (deleted < batchSize || this.stopped) break;
    }
    if (total > 0) onPruned?.(total);
    return total;
  }
}
