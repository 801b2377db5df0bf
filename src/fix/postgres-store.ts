import { MemoryStore, type MessageStore, type StoreOptions } from './store.js';

/** The little the store needs from a database client; a `pg` Pool satisfies it. */
export interface SqlQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

// One multi-statement simple query runs as one transaction, so the advisory lock serialises
// stores opening at the same time (concurrent CREATE TABLE IF NOT EXISTS can otherwise fail).
const SCHEMA = `
SELECT pg_advisory_xact_lock(7216201);
CREATE TABLE IF NOT EXISTS fix_session_state (
  session_id text PRIMARY KEY,
  next_sender_seq int NOT NULL,
  next_target_seq int NOT NULL,
  creation_time timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS fix_sent_messages (
  session_id text NOT NULL,
  seq_num int NOT NULL,
  message bytea NOT NULL,
  PRIMARY KEY (session_id, seq_num)
);`;

// A batch: the messages sent (none or many) and both numbers after them, in one statement.
const STORE_BATCH = `
WITH m AS (
  INSERT INTO fix_sent_messages (session_id, seq_num, message)
  SELECT $1, seq_num, message FROM unnest($2::int[], $3::bytea[]) AS t(seq_num, message)
  ON CONFLICT (session_id, seq_num) DO UPDATE SET message = excluded.message
)
UPDATE fix_session_state SET next_sender_seq = $4, next_target_seq = $5 WHERE session_id = $1`;

const RESET = `
WITH d AS (DELETE FROM fix_sent_messages WHERE session_id = $1)
UPDATE fix_session_state SET next_sender_seq = 1, next_target_seq = 1, creation_time = $2 WHERE session_id = $1`;

/**
 * A FIX message store in PostgreSQL, for sessions that must survive moving to another process.
 * Write-behind: reads come from an in-memory mirror loaded at open, and every mutation updates the
 * mirror at once. flush() (the session's, once per event-loop turn) queues the batch's SQL on one
 * chain, in order: one statement with its messages and numbers (a reset before it). The session
 * waits for `whenDurable()` before putting bytes on the wire. A failed write breaks the store for
 * good (the mirror may be ahead of the database): later writes are skipped and `whenDurable()`
 * rejects until reopened. The caller owns `sql`; close() does not end it.
 */
export class PostgresStore implements MessageStore {
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  /** Since the last flush: a reset (its creation time; what came before it no longer matters), the messages sent, whether the numbers changed. */
  private pendingReset: Date | undefined;
  private pendingSent = new Map<number, Buffer>();
  private numbersChanged = false;

  private constructor(
    private readonly sql: SqlQueryable,
    private readonly sessionId: string,
    private readonly memory: MemoryStore,
    private created: Date,
    private readonly now: () => Date,
  ) {}

  /** Creates the tables if missing and loads the session's state (a new session starts at 1). */
  static async open(sql: SqlQueryable, sessionId: string, options: StoreOptions = {}): Promise<PostgresStore> {
    const now = options.now ?? (() => new Date());
    await sql.query(SCHEMA);
    await sql.query(
      'INSERT INTO fix_session_state (session_id, next_sender_seq, next_target_seq, creation_time) VALUES ($1, 1, 1, $2) ON CONFLICT (session_id) DO NOTHING',
      [sessionId, now()],
    );
    const state = (await sql.query('SELECT next_sender_seq, next_target_seq, creation_time FROM fix_session_state WHERE session_id = $1', [sessionId])).rows[0];
    if (!state) throw new Error(`FIX session state for ${sessionId} missing after insert`);
    const messages = await sql.query('SELECT seq_num, message FROM fix_sent_messages WHERE session_id = $1 ORDER BY seq_num', [sessionId]);
    const memory = new MemoryStore();
    for (const row of messages.rows) memory.storeSent(Number(row.seq_num), Buffer.from(row.message as Uint8Array));
    // The stored number wins; an admin message may have taken numbers after the last stored message.
    memory.setNextSenderSeqNum(Number(state.next_sender_seq));
    memory.setNextTargetSeqNum(Number(state.next_target_seq));
    return new PostgresStore(sql, sessionId, memory, new Date(state.creation_time as Date | string), now);
  }

  nextSenderSeqNum(): number {
    return this.memory.nextSenderSeqNum();
  }

  nextTargetSeqNum(): number {
    return this.memory.nextTargetSeqNum();
  }

  sentBetween(begin: number, end: number): { seqNum: number; message: Buffer }[] {
    return this.memory.sentBetween(begin, end);
  }

  creationTime(): Date {
    return this.created;
  }

  storeSent(seqNum: number, message: Buffer): void {
    this.memory.storeSent(seqNum, message);
    this.pendingSent.set(seqNum, message);
    this.numbersChanged = true;
  }

  setNextTargetSeqNum(seqNum: number): void {
    this.memory.setNextTargetSeqNum(seqNum);
    this.numbersChanged = true;
  }

  setNextSenderSeqNum(seqNum: number): void {
    this.memory.setNextSenderSeqNum(seqNum);
    this.numbersChanged = true;
  }

  reset(): void {
    this.memory.reset();
    this.created = this.now();
    this.pendingReset = this.created;
    this.pendingSent.clear();
    this.numbersChanged = false;
  }

  /** Queues the batch's SQL; a failure shows in `whenDurable()` (this never throws). */
  flush(): void {
    if (this.pendingReset) this.enqueue(RESET, [this.sessionId, this.pendingReset]);
    if (this.numbersChanged) {
      const sent = [...this.pendingSent];
      this.enqueue(STORE_BATCH, [
        this.sessionId,
        sent.map(([seqNum]) => seqNum),
        sent.map(([, message]) => message),
        this.memory.nextSenderSeqNum(),
        this.memory.nextTargetSeqNum(),
      ]);
    }
    this.pendingReset = undefined;
    this.pendingSent = new Map();
    this.numbersChanged = false;
  }

  async whenDurable(): Promise<void> {
    this.flush();
    await this.chain;
    if (this.failure) throw this.failure.error;
  }

  close(): void {
    this.flush();
  }

  private enqueue(text: string, params: unknown[]): void {
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await this.sql.query(text, params);
      } catch (error) {
        this.failure = { error };
      }
    });
  }
}
