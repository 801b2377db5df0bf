import type { SqlExecutor } from '../../ports/sql.js';

/**
 * Outbox rows not yet published (the relay deletes what it published): oms_outbox_pending's source,
 * read at each scrape. Counted above the relays' floor, as their scans are: from the first id the
 * count walked every deleted row's index entry, up to a minute of them (120-190 ms a scrape at
 * 1,000 orders/s).
 */
export function outboxPendingCount(db: SqlExecutor): () => Promise<number> {
  return async () => {
    const [pending] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND id > COALESCE((SELECT floor FROM outbox_relay_floor), 0)',
    );
    return pending?.n ?? 0;
  };
}
