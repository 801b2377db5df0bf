import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';
import type { BusPayload } from '../../domain/events/messages.js';
import type { Topic } from '../../domain/events/topics.js';
import { WakeSignal } from '../bus/wake-signal.js';

/**
 * Where the relay delivers outbox rows. It runs inside the relay's transaction: a bus in the same
 * database (embedded) writes with `tx`, so moving a row is exactly-once; Kafka ignores `tx` and
 * resolves once the broker acknowledged, and a crash before the commit republishes the rows
 * (a duplicate that idempotent consumers drop).
 */
export interface OutboxSink {
  publish(tx: SqlExecutor, messages: readonly OutgoingMessage[]): Promise<void>;
  /** Called after the relay's transaction committed, e.g. to wake in-process consumers. */
  afterCommit?(messages: readonly OutgoingMessage[]): void;
}

export interface OutboxRelayOptions {
  readonly db: SqlClient;
  readonly sink: OutboxSink;
  readonly batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (a lost notification delays, never loses). */
  readonly pollMs?: number;
  readonly onPublished?: (count: number) => void;
  readonly onError?: (error: unknown) => void;
}

interface OutboxRow {
  id: number | string;
  topic: string;
  message_key: string;
  event_id: string;
  payload: BusPayload;
  headers: Record<string, string>;
}

/** Publishes committed outbox rows in id order, in batches, and marks them published. */
export class OutboxRelay {
  private readonly signal = new WakeSignal();
  private running: Promise<void> | undefined;
  private stopped = false;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: OutboxRelayOptions) {}

  async start(): Promise<void> {
    this.unlisten = await this.options.db.listen('outbox', () => this.signal.wake());
    this.running = this.loop();
  }

  wake(): void {
    this.signal.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.wake();
    await this.running;
    await this.unlisten?.();
  }

  /** One batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const { db, sink, batchSize = 1000 } = this.options;
    const messages = await db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `SELECT id, topic, message_key, event_id, payload, headers FROM outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return [];
      const batch: OutgoingMessage[] = rows.map((r) => ({ topic: r.topic as Topic, key: r.message_key, eventId: r.event_id, payload: r.payload, headers: r.headers }));
      await sink.publish(tx, batch);
      await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return batch;
    });
    if (messages.length > 0) {
      sink.afterCommit?.(messages);
      this.options.onPublished?.(messages.length);
    }
    return messages.length;
  }

  private async loop(): Promise<void> {
    let backoffMs = 50;
    while (!this.stopped) {
      try {
        const published = await this.publishBatch();
        backoffMs = 50;
        if (published > 0) continue;
      } catch (error) {
        this.options.onError?.(error);
        await this.signal.wait(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
        continue;
      }
      await this.signal.wait(this.options.pollMs ?? 500);
    }
  }
}
