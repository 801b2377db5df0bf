import { Gauge, type Registry } from 'prom-client';
import type { SqlExecutor } from '../../ports/sql.js';

/** oms_outbox_pending: outbox rows not yet published (the relay deletes what it published), read from the database at each scrape. */
export function registerOutboxPendingGauge(registry: Registry, db: SqlExecutor, help: string): void {
  new Gauge({
    name: 'oms_outbox_pending',
    help,
    registers: [registry],
    async collect() {
      const [pending] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      this.set(pending?.n ?? 0);
    },
  });
}
