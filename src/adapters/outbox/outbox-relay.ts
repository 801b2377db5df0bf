import type { BusPayload } from '../../domain/events/messages.js';
import type { Topic } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';
import { WakeSignal } from '../bus/wake-signal.js';

export interface OutboxRelayOptions {
  readonly db: SqlClient;
  readonly bus: EventBus;
  readonly batchSize?: number;
  /**
   * Poll when nobody calls wake(): the writers in this process wake it after each commit; rows of
   * other processes (a killed one's, an instance without a relay) wait at most this long.
   */
  readonly pollMs?: number;
  readonly onPublished?: (count: number) => void;
  readonly onError?: (error: unknown) => void;
  /**
   * Several relays share this database (distributed mode, one per service instance). Each batch
   * then runs in a transaction that holds the relay lock and row locks until it is marked, so no
   * two relays publish a row at once, and batches leave in id order (per-key order holds).
   * Embedded mode must leave it off: its bus delivers inside publish() on the one connection.
   */
  readonly shared?: boolean;
  /**
   * On PostgreSQL: after deleting this many rows since its last VACUUM, the relay vacuums the
   * outbox (default 2,000; 0 never). Each scan for unpublished rows walks the index entries of
   * every deleted row until VACUUM removes them, and autovacuum looks at a table once a minute:
   * at 3,000 rows a second the scan took about 8 ms for 230 rows, against 0.8 ms vacuumed every
   * 2 s (20-80 ms each). Embedded mode's maintenance vacuums PGlite's outbox itself.
   */
  readonly vacuumAfterRows?: number;
}

/** How soon a relay tries again when another holds the lock: it may be publishing rows this one was woken for. */
const LOCK_RETRY_MS = 5;

/** Vacuumed on its own connection, outside any transaction; skipped while another relay vacuums it. */
const VACUUM_OUTBOX = 'VACUUM (SKIP_LOCKED) outbox';

/** The advisory lock one relay at a time holds while it publishes a batch; per schema, as the outbox is. */
const RELAY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('oms.outbox-relay.' || current_schema())) AS held";

interface OutboxRow {
  id: number | string;
  topic: string;
  message_key: string;
  event_id: string;
  payload: string;
  headers: string;
}

/**
 * Publishes committed outbox rows to the bus in id order, in batches, and deletes them once the
 * bus has taken them. A crash between publish and delete publishes them again: a duplicate
 * that idempotent consumers drop. Several relays on one database need `shared` (see there).
 */
export class OutboxRelay {
  private readonly signal = new WakeSignal();
  private running: Promise<void> | undefined;
  private stopped = false;
  /** The last publishBatch() found the lock held by another relay. */
  private lockBusy = false;
  /**
   * The last id published, on PGlite only: its one connection runs transactions one after the
   * other, so ids commit in order and the next batch is above it; the scan then skips the index
   * entries of deleted rows, which VACUUM removes there only every few seconds
   * (embedded-maintenance.ts). On PostgreSQL rows can commit out of id order, so it stays 0.
   */
  private publishedUpTo = 0;
  /** Rows this relay deleted since it last vacuumed the outbox (PostgreSQL only). */
  private deletedSinceVacuum = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): Promise<void> {
    this.running = this.loop();
    return Promise.resolve();
  }

  wake(): void {
    this.signal.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.wake();
    await this.running;
  }

  /** One batch; returns how many rows it published (0 also when another relay holds the lock). */
  async publishBatch(): Promise<number> {
    const { db } = this.options;
    const published = this.options.shared
      ? await db.transaction(async (tx) => {
          const [lock] = await tx.query<{ held: boolean }>(RELAY_LOCK);
          this.lockBusy = lock?.held !== true;
          return this.lockBusy ? 0 : this.publishFrom(tx, 'FOR UPDATE SKIP LOCKED');
        })
      : await this.publishFrom(db, '');
    await this.vacuumIfDue(published);
    return published;
  }

  /** After the batch's commit (VACUUM cannot run in a transaction); a failure is reported, not retried until the next threshold. */
  private async vacuumIfDue(deleted: number): Promise<void> {
    const { db, vacuumAfterRows = 2_000 } = this.options;
    if (db.kind !== 'postgres' || vacuumAfterRows <= 0) return;
    this.deletedSinceVacuum += deleted;
    if (this.deletedSinceVacuum < vacuumAfterRows) return;
    this.deletedSinceVacuum = 0;
    try {
      await db.query(VACUUM_OUTBOX);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async publishFrom(db: SqlExecutor, locking: string): Promise<number> {
    const { bus, batchSize = 1000 } = this.options;
    const rows = await db.query<OutboxRow>(
      `SELECT id, topic, message_key, event_id, payload, headers FROM outbox WHERE published_at IS NULL AND id > $2 ORDER BY id LIMIT $1 ${locking}`,
      [batchSize, this.publishedUpTo],
    );
    if (rows.length === 0) return 0;
    const messages: OutgoingMessage[] = rows.map((r) => ({
      topic: r.topic as Topic,
      key: r.message_key,
      eventId: r.event_id,
      payload: JSON.parse(r.payload) as BusPayload,
      headers: JSON.parse(r.headers) as Record<string, string>,
    }));
    await bus.publish(messages);
    // Published rows are deleted: the outbox holds only what the bus has not taken yet.
    await db.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    if (this.options.db.kind === 'pglite') this.publishedUpTo = Number(rows[rows.length - 1]!.id);
    this.options.onPublished?.(rows.length);
    return rows.length;
  }

  private async loop(): Promise<void> {
    let backoffMs = 50;
    let lockRetryMs = LOCK_RETRY_MS;
    while (!this.stopped) {
      try {
        const published = await this.publishBatch();
        backoffMs = 50;
        // A full batch means more may be waiting; a short one means the outbox is drained.
        if (published === (this.options.batchSize ?? 1000)) continue;
        // Retried soon, then less often while the holder stays (a publish stuck on a Kafka outage).
        if (this.lockBusy) {
          await this.signal.wait(lockRetryMs);
          lockRetryMs = Math.min(lockRetryMs * 2, this.options.pollMs ?? 500);
          continue;
        }
        lockRetryMs = LOCK_RETRY_MS;
      } catch (error) {
        if (this.stopped) return;
        this.options.onError?.(error);
        await this.signal.wait(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
        continue;
      }
      await this.signal.wait(this.options.pollMs ?? 500);
    }
  }
}
