import type { BusPayload } from '../../domain/events/messages.js';
import type { Topic } from '../../domain/events/topics.js';
import type { DeliveredMessage, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../../ports/event-bus.js';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';
import type { OutboxSink } from '../outbox/outbox-relay.js';
import { WakeSignal } from './wake-signal.js';

interface LogRow {
  log_offset: number | string;
  topic: string;
  message_key: string;
  event_id: string;
  payload: BusPayload;
  headers: Record<string, string>;
}

export interface SqlLogBusOptions {
  /** Fallback poll for consumers when no wake-up arrives. */
  readonly pollMs?: number;
  readonly onHandlerError?: (group: string, topic: Topic, error: unknown) => void;
}

/**
 * The embedded event bus: a durable log in the database, with Kafka's semantics. Publish is one
 * batched INSERT; each consumer group reads a topic in log order from its committed offset and
 * commits only after its handler resolved (at-least-once; a failing batch is retried after a
 * back-off). One log order per topic means per-key order holds for every key.
 * Offsets are read as "after the last committed", which is safe because PGlite runs one
 * transaction at a time (a bigserial cannot commit out of order); on a multi-connection
 * PostgreSQL the distributed mode uses Kafka instead.
 */
export class SqlLogBus implements EventBus {
  private readonly signals = new Map<Topic, Set<WakeSignal>>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly db: SqlClient,
    private readonly options: SqlLogBusOptions = {},
  ) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.db.transaction((tx) => appendToLog(tx, messages));
    this.afterCommit(messages);
  }

  /** For the outbox relay: the rows go into the log in the relay's own transaction. */
  publishInTransaction(tx: SqlExecutor, messages: readonly OutgoingMessage[]): Promise<void> {
    return appendToLog(tx, messages);
  }

  afterCommit(messages: readonly OutgoingMessage[]): void {
    for (const topic of new Set(messages.map((m) => m.topic))) for (const signal of this.signals.get(topic) ?? []) signal.wake();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const signal = new WakeSignal();
    const topicSignals = this.signals.get(options.topic) ?? new Set();
    topicSignals.add(signal);
    this.signals.set(options.topic, topicSignals);
    const [row] = await this.db.query<{ committed_offset: number | string }>('SELECT committed_offset FROM bus_offsets WHERE group_id = $1 AND topic = $2', [
      options.group,
      options.topic,
    ]);
    const consumer = new LogConsumer(this.db, options, signal, BigInt(row?.committed_offset ?? 0), this.options);
    const subscription: Subscription = {
      stop: async () => {
        topicSignals.delete(signal);
        this.subscriptions.delete(subscription);
        await consumer.stop();
      },
    };
    this.subscriptions.add(subscription);
    consumer.start();
    return subscription;
  }

  /** Messages each group has not yet committed, per topic; for metrics and tests. */
  async lag(): Promise<{ group: string; topic: string; lag: number }[]> {
    const rows = await this.db.query<{ group_id: string; topic: string; lag: number | string }>(
      `SELECT o.group_id, o.topic, COALESCE((SELECT max(log_offset) FROM bus_log l WHERE l.topic = o.topic), 0) - o.committed_offset AS lag
       FROM bus_offsets o ORDER BY o.group_id, o.topic`,
    );
    return rows.map((r) => ({ group: r.group_id, topic: r.topic, lag: Math.max(0, Number(r.lag)) }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }
}

/** The bus as the outbox relay's sink: exactly-once moves from outbox to log, then consumers are woken. */
export function logBusOutboxSink(bus: SqlLogBus): OutboxSink {
  return {
    publish: (tx, messages) => bus.publishInTransaction(tx, messages),
    afterCommit: (messages) => bus.afterCommit(messages),
  };
}

async function appendToLog(tx: SqlExecutor, messages: readonly OutgoingMessage[]): Promise<void> {
  await tx.query(
    `INSERT INTO bus_log (topic, message_key, event_id, payload, headers)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[], $5::jsonb[])`,
    [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.eventId),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => JSON.stringify(m.headers ?? {})),
    ],
  );
}

class LogConsumer {
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: SqlClient,
    private readonly options: SubscribeOptions,
    private readonly signal: WakeSignal,
    private committed: bigint,
    private readonly busOptions: SqlLogBusOptions,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { group, topic, handler, maxBatch = 500 } = this.options;
    let backoffMs = 50;
    while (!this.stopped) {
      let batch: DeliveredMessage[];
      try {
        batch = await this.fetch(maxBatch);
      } catch (error) {
        this.busOptions.onHandlerError?.(group, topic, error);
        await this.signal.wait(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
        continue;
      }
      if (batch.length === 0) {
        await this.signal.wait(this.busOptions.pollMs ?? 250);
        continue;
      }
      try {
        await handler(batch);
        const last = batch[batch.length - 1]!.offset;
        await this.db.query(
          `INSERT INTO bus_offsets (group_id, topic, committed_offset, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (group_id, topic) DO UPDATE SET committed_offset = EXCLUDED.committed_offset, updated_at = now()`,
          [group, topic, last.toString()],
        );
        this.committed = last;
        backoffMs = 50;
      } catch (error) {
        // Not committed: the same batch comes again after the back-off (at-least-once).
        this.busOptions.onHandlerError?.(group, topic, error);
        if (this.stopped) return;
        await this.signal.wait(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private async fetch(limit: number): Promise<DeliveredMessage[]> {
    const rows = await this.db.query<LogRow>(
      `SELECT log_offset, topic, message_key, event_id, payload, headers FROM bus_log
       WHERE topic = $1 AND log_offset > $2 ORDER BY log_offset LIMIT $3`,
      [this.options.topic, this.committed.toString(), limit],
    );
    return rows.map((r) => ({
      topic: r.topic as Topic,
      key: r.message_key,
      eventId: r.event_id,
      payload: r.payload,
      headers: r.headers,
      offset: BigInt(r.log_offset),
      partition: 0,
    }));
  }
}
