import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient, SqlExecutor, SqlStatement } from '../../ports/sql.js';

export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';

/**
 * Writes events to the outbox inside the caller's transaction: one statement for the batch. An
 * event already there is skipped: ids derived from the source (a venue's ExecID) repeat when the
 * venue resends a report the OMS had already committed before it restarted.
 */
export async function appendOutbox(tx: SqlExecutor, messages: readonly OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { text, params } = outboxInsert(messages);
  await tx.query(text, params);
}

/**
 * The INSERT behind appendOutbox. With `onlyIfOrderStored` (one order id per message), a message
 * goes in only if its order is in the orders table: it can then travel in one batch with the
 * INSERT of the orders, without waiting to learn which of them went in.
 */
export function outboxInsert(messages: readonly OutgoingMessage[], options: { onlyIfOrderStored?: readonly string[] } = {}): SqlStatement {
  const guard = options.onlyIfOrderStored;
  return {
    // The transaction's id is taken before the rows' ids (a row passes the WHERE before its id is
    // drawn): the relay's scan floor relies on it (OutboxRelay's Horizon).
    text: `WITH tx AS MATERIALIZED (SELECT pg_current_xact_id() AS xid)
     INSERT INTO outbox (topic, message_key, event_id, payload, headers)
     SELECT m.topic, m.message_key, m.event_id, m.payload, m.headers
     FROM tx, unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::uuid[]) WITH ORDINALITY AS m(topic, message_key, event_id, payload, headers, order_id, n)
     WHERE tx.xid IS NOT NULL ${guard ? 'AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = m.order_id)' : ''}
     ORDER BY m.n
     ON CONFLICT (event_id) DO NOTHING`,
    params: [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.eventId),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => JSON.stringify(m.headers ?? {})),
      guard ?? messages.map(() => null),
    ],
  };
}

/** Commits single messages to the outbox, each in its own transaction (requests that are not on the order-entry hot path). */
export function outboxAppender(
  db: SqlClient,
  afterCommit: () => void = () => undefined,
  stamp?: (message: OutgoingMessage) => OutgoingMessage,
): (message: OutgoingMessage) => Promise<void> {
  return async (message) => {
    const stamped = stamp ? stamp(message) : message;
    await db.transaction((tx) => appendOutbox(tx, [stamped]));
    afterCommit();
  };
}

/**
 * The idempotent-consumer inbox: records `eventIds` as processed by `consumer` in the caller's
 * transaction and returns those not processed before. The effects of a redelivered event are skipped.
 */
export async function claimInbox(tx: SqlExecutor, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await tx.query<{ event_id: string }>(
    `INSERT INTO processed_events (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS id
     ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}
