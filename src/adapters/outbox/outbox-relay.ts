import type { BusPayload } from '../../domain/events/messages.js';
import type { Topic } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient } from '../../ports/sql.js';
import { WakeSignal } from '../bus/wake-signal.js';

export interface OutboxRelayOptions {
  readonly db: SqlClient;
  readonly bus: EventBus;
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
  payload: string;
  headers: string;
}

/**
 * Publishes committed outbox rows to the bus in id order, in batches, and marks them published
 * once the bus has taken them. A crash between publish and mark publishes them again: a duplicate
 * that idempotent consumers drop. One relay per database (several would race for the same rows).
 */
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
    const { db, bus, batchSize = 1000 } = this.options;
    const rows = await db.query<OutboxRow>(
      'SELECT id, topic, message_key, event_id, payload, headers FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1',
      [batchSize],
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
    await db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    this.options.onPublished?.(rows.length);
    return rows.length;
  }

  private async loop(): Promise<void> {
    let backoffMs = 50;
    while (!this.stopped) {
      try {
        const published = await this.publishBatch();
        backoffMs = 50;
        // A full batch means more may be waiting; a short one means the outbox is drained.
        if (published === (this.options.batchSize ?? 1000)) continue;
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
