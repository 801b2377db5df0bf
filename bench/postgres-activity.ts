/**
 * What one database's users did in PostgreSQL over a phase, from its cumulative statistics
 * (pg_stat_database, pg_stat_user_tables) and the WAL position: WAL written, transactions, and
 * rows written per table. Per order, it says which statements of which service cost the database
 * most. The statistics reach these views within a second of each transaction (PostgreSQL 15
 * flushes them at least that often).
 */
import { count } from './report.js';

type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

interface Counts {
  /** Where the server's write-ahead log stood (all databases: the phase's is the only writer then). */
  readonly walLsn: string;
  readonly commits: number;
  readonly rollbacks: number;
  /** Table → rows inserted, updated (of which HOT: in place, no index entry written), deleted. */
  readonly tables: ReadonlyMap<string, TableCounts>;
}

interface TableCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly hotUpdated: number;
  readonly deleted: number;
}

async function read(query: Query, database: string): Promise<Counts> {
  const [db] = await query<{ wal_lsn: string; commits: string; rollbacks: string }>(
    'SELECT pg_current_wal_lsn()::text AS wal_lsn, xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  const rows = await query<{ name: string; inserted: string; updated: string; hot_updated: string; deleted: string }>(
    'SELECT relname AS name, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_hot_upd AS hot_updated, n_tup_del AS deleted FROM pg_stat_user_tables',
  );
  return {
    walLsn: db?.wal_lsn ?? '0/0',
    commits: Number(db?.commits ?? 0),
    rollbacks: Number(db?.rollbacks ?? 0),
    tables: new Map(
      rows.map((r) => [r.name, { inserted: Number(r.inserted), updated: Number(r.updated), hotUpdated: Number(r.hot_updated), deleted: Number(r.deleted) }]),
    ),
  };
}

/** Starts counting now; stop(orders) describes what happened since, per order. */
export async function postgresActivityMeter(query: Query, database: string): Promise<{ stop(orders: number): Promise<string> }> {
  const before = await read(query, database);
  return {
    stop: async (orders) => {
      // The last transactions' statistics are flushed within a second.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const after = await read(query, database);
      const [wal] = await query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::bigint::text AS bytes', [after.walLsn, before.walLsn]);
      const per = (n: number) => (orders > 0 ? (n / orders).toFixed(1) : '—');
      const tables = [...after.tables]
        .map(([name, t]) => {
          const b = before.tables.get(name) ?? { inserted: 0, updated: 0, hotUpdated: 0, deleted: 0 };
          return {
            name,
            inserted: t.inserted - b.inserted,
            updated: t.updated - b.updated,
            hotUpdated: t.hotUpdated - b.hotUpdated,
            deleted: t.deleted - b.deleted,
          };
        })
        .filter((t) => t.inserted + t.updated + t.deleted > 0)
        .sort((a, b) => b.inserted + b.updated + b.deleted - (a.inserted + a.updated + a.deleted));
      const updated = (t: TableCounts) => `~${per(t.updated)}${t.hotUpdated > 0 ? ` (HOT ${per(t.hotUpdated)})` : ''}`;
      const written = tables
        .map((t) => `${t.name} ${[t.inserted && `+${per(t.inserted)}`, t.updated && updated(t), t.deleted && `-${per(t.deleted)}`].filter(Boolean).join(' ')}`)
        .join(', ');
      const walKb = orders > 0 ? (Number(wal?.bytes ?? 0) / orders / 1024).toFixed(1) : '—';
      return `${walKb} KiB of WAL, ${per(after.commits - before.commits)} transactions (${per(after.rollbacks - before.rollbacks)} rolled back); rows inserted (+), updated (~; HOT: in place, no index entry), deleted (-): ${written || 'none'}`;
    },
  };
}

/**
 * How often the phase's orders were routed, from child_orders (oms-core's record of every child):
 * children per route attempt, and how many came back canceled with nothing filled. A child that
 * misses its quote sends its order round the five topics again, so this says how much of the
 * work per order was such repeats.
 */
export async function routingAttempts(query: Query, accountId: string): Promise<string> {
  const rows = await query<{ attempt: number; children: string; missed: string; orders: string }>(
    `SELECT c.route_attempt AS attempt, count(*) AS children, count(DISTINCT c.parent_order_id) AS orders,
       count(*) FILTER (WHERE c.status = 'CANCELED' AND c.filled_quantity = 0) AS missed
     FROM child_orders c JOIN orders o ON o.order_id = c.parent_order_id
     WHERE o.account_id = $1 GROUP BY c.route_attempt ORDER BY c.route_attempt`,
    [accountId],
  );
  if (rows.length === 0) return 'no child orders';
  return rows
    .map(
      (r) => `attempt ${r.attempt}: ${count(Number(r.children))} children for ${count(Number(r.orders))} orders, ${count(Number(r.missed))} canceled unfilled`,
    )
    .join('; ');
}

/**
 * What the account's filled shares cost against the arrival mid (the NBBO mid an order's first
 * route saw, as execution quality takes it): what they paid past those mids (signed, paying up
 * positive) over their notional at them, in basis points. Execution quality instead averages each
 * order's basis points weighted by its shares; the two differ where symbols' prices differ.
 * Computed in PostgreSQL's numeric arithmetic, exact.
 */
export async function arrivalSlippage(query: Query, accountId: string): Promise<string> {
  const [row] = await query<{ shares: string | null; bps: string | null }>(
    `WITH arrival AS (
       SELECT DISTINCT ON (c.parent_order_id) c.parent_order_id, (c.nbbo_bid + c.nbbo_ask) / 2 AS mid
       FROM child_orders c JOIN orders o ON o.order_id = c.parent_order_id
       WHERE o.account_id = $1 AND c.route_attempt = 1 AND c.nbbo_bid IS NOT NULL AND c.nbbo_ask IS NOT NULL
       ORDER BY c.parent_order_id, c.created_at)
     SELECT sum(o.filled_quantity) AS shares,
       round(10000 * sum(CASE WHEN o.side = 'BUY' THEN 1 ELSE -1 END * (o.avg_price - a.mid) * o.filled_quantity)
         / nullif(sum(a.mid * o.filled_quantity), 0), 3) AS bps
     FROM orders o JOIN arrival a ON a.parent_order_id = o.order_id
     WHERE o.account_id = $1 AND o.filled_quantity > 0`,
    [accountId],
  );
  if (!row?.shares || row.bps === null) return 'no filled shares with an arrival mid';
  return `${row.bps} bp against the arrival mid over ${count(Number(row.shares))} filled shares`;
}
