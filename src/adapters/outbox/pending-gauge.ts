import type { SqlExecutor } from '../../ports/sql.js';

/** Outbox rows not yet published (the relay deletes what it published): oms_outbox_pending's source, read at each scrape. */
export function outboxPendingCount(db: SqlExecutor): () => Promise<number> {
  return async () => {
    const [pending] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    return pending?.n ?? 0;
  };
}
