import type { BusPayload } from '../../domain/events/messages.js';
import type { Topic } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';
import { WakeSignal } from '../bus/wake-signal.js';
import { tryTransactionLock } from '../sql/transaction-lock.js';

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
   * then runs in a transaction that holds the relay lock until its rows are deleted, so no two
   * relays publish a row at once, and batches leave in id order (per-key order holds).
   * Embedded mode must leave it off: its bus delivers inside publish() on the one connection.
   */
  readonly shared?: boolean;
}

/** How soon a relay tries again when another holds the lock: it may be publishing rows this one was woken for. */
const LOCK_RETRY_MS = 5;

/** The advisory lock one relay at a time holds while it publishes a batch; per schema, as the outbox is. */
const RELAY_LOCK = 'oms.outbox-relay.';

/**
 * Rows commit out of id order on PostgreSQL: a transaction may take an id, then commit after one
 * that took a higher id. An id is settled once the transaction that took it has ended. Writers
 * take their transaction id before their rows' ids (outboxInsert), and transaction ids are handed
 * out in order: so when the sequence stood at `upTo` and the relay's transaction took `xid` after,
 * every id up to `upTo` is settled once no transaction below `xid` is running, that is once a
 * snapshot's xmin has passed it. (A snapshot's xmax does not bound them: a transaction running with
 * an id above every completed one is neither in the snapshot nor below its xmax. The sequence
 * hands out ids one at a time, bigserial's default CACHE 1, so the highest it shows was taken.)
 */
interface Horizon {
  readonly upTo: number;
  readonly xid: bigint;
}

/** The shared floor and the sequence, read first; this relay's transaction id after, in a statement of its own. */
const FLOOR_STATE = `SELECT floor::text AS floor, pending_up_to::text AS pending_up_to, pending_xid::text AS pending_xid,
  (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM outbox_id_seq)::text AS last_id FROM outbox_relay_floor`;
const HORIZON = 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_current_xact_id()::text AS xid';
const SAVE_FLOOR = 'UPDATE outbox_relay_floor SET floor = $1, pending_up_to = $2, pending_xid = $3::xid8';

interface FloorRow {
  floor: string;
  pending_up_to: string | null;
  pending_xid: string | null;
  last_id: string;
}

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
   * The last scan started above this id: every row at or below it is published, or was never
   * committed and never will be. Starting there, the scan skips the index entries of the rows
   * already deleted, which stay until VACUUM (autovacuum visits a table once a minute; at 3,000
   * rows a second a scan from 0 walked so many that it took 8.6 ms for 248 rows, against 0.8 ms).
   * On PGlite, whose one connection commits transactions one after the other, ids commit in order
   * and it is the last id published. On PostgreSQL the relays share it in outbox_relay_floor, and
   * move it as far as ids are settled (see Horizon).
   */
  private scanFloor = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** The id the next scan starts above (see scanFloor); for tests and diagnostics. */
  get floor(): number {
    return this.scanFloor;
  }

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
    if (!this.options.shared) {
      const rows = await this.publishFrom(db, this.scanFloor);
      // PGlite commits in id order: what is not published yet is above the last id published.
      if (db.kind === 'pglite' && rows.length > 0) this.scanFloor = lastId(rows);
      return rows.length;
    }
    const batch = await db.transaction(async (tx) => {
      this.lockBusy = !(await tryTransactionLock(tx, RELAY_LOCK));
      if (this.lockBusy) return { published: 0, floor: this.scanFloor };
      if (db.kind !== 'postgres') return { published: (await this.publishFrom(tx, 0)).length, floor: 0 };
      return this.publishAboveFloor(tx);
    });
    this.scanFloor = batch.floor;
    return batch.published;
  }

  /** PostgreSQL: a batch from the shared floor, which then moves up as far as ids are settled. */
  private async publishAboveFloor(tx: SqlExecutor): Promise<{ published: number; floor: number }> {
    const [state] = await tx.query<FloorRow>(FLOOR_STATE);
    if (!state) throw new Error('outbox_relay_floor has no row (migration 012 inserts it)');
    const floor = Number(state.floor);
    // No id taken above the floor: nothing to publish, and an idle poll neither takes a transaction id nor writes.
    if (Number(state.last_id) === floor) return { published: 0, floor };
    const [now] = await tx.query<{ xmin: string; xid: string }>(HORIZON);
    const pending: Horizon | undefined = state.pending_up_to === null ? undefined : { upTo: Number(state.pending_up_to), xid: BigInt(state.pending_xid!) };
    const settledUpTo = pending && BigInt(now!.xmin) > pending.xid ? pending.upTo : undefined;
    // No row locks: the relay lock already keeps other relays out, and only a relay deletes rows.
    // Locking each row (FOR UPDATE) wrote it once more before its DELETE: without the locks the
    // relay's statements write half the WAL, and its scan takes a fifth to a third less
    // (bench/outbox-relay.ts, about 920 rows a batch).
    const rows = await this.publishFrom(tx, floor);
    let next = floor;
    if (settledUpTo !== undefined) {
      // The settled ids are visible to the scan, whose snapshot comes after: the floor passes all of
      // them when the scan got to the end, else only as far as the last row it took.
      const full = rows.length === (this.options.batchSize ?? 1000);
      next = Math.max(floor, full ? Math.min(settledUpTo, lastId(rows)) : settledUpTo);
    }
    const horizon = settledUpTo !== undefined || !pending ? { upTo: Number(state.last_id), xid: BigInt(now!.xid) } : pending;
    await tx.query(SAVE_FLOOR, [next, horizon.upTo, horizon.xid.toString()]);
    return { published: rows.length, floor: next };
  }

  private async publishFrom(db: SqlExecutor, floor: number): Promise<OutboxRow[]> {
    const { bus, batchSize = 1000 } = this.options;
    const rows = await db.query<OutboxRow>(
      `SELECT id, topic, message_key, event_id, payload, headers FROM outbox WHERE published_at IS NULL AND id > $2 ORDER BY id LIMIT $1`,
      [batchSize, floor],
    );
    if (rows.length === 0) return rows;
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
    this.options.onPublished?.(rows.length);
    return rows;
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

const lastId = (rows: readonly OutboxRow[]): number => Number(rows[rows.length - 1]!.id);
