/**
 * What the query model costs per order, per table: replays a journal (a copy of it) into a fresh
 * PGlite in batches of journal records, each statement kind in a transaction of its own, and
 * prints the CPU time per order and per row (process CPU: PGlite's thread does the work).
 *
 *   npm start, put load on it (e.g. bench/order-flow.ts --url ...), stop it, then:
 *   node --import tsx bench/query-model-replay.ts --journal ./data/journal [--batch 50] [--fk]
 *
 * --fk checks foreign keys as a normal session does; without it the statements run as the
 * query-model writer runs them (session_replication_role = replica). Compaction removes old
 * segments, so the journal holds the orders since the last compaction.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal } from '../src/adapters/journal/file-journal.js';
import { decodeStateChanges } from '../src/adapters/journal/state-changes-codec.js';
import { runMigrations } from '../src/adapters/sql/migrate.js';
import { childrenUpsert, fillsInsert, historyInsert, ordersUpsert, positionsUpsert, riskDecisionsInsert } from '../src/adapters/sql/orders/order-statements.js';
import { createPgliteWorkerClient } from '../src/adapters/sql/pglite/worker-client.js';
import { coalesceStateChanges } from '../src/adapters/sql/query-model/sql-query-model-writer.js';
import type { SqlStatement } from '../src/ports/sql.js';
import type { StateChanges } from '../src/ports/working-state.js';
import { scriptOptions } from './options.js';

const args = scriptOptions('node --import tsx bench/query-model-replay.ts --journal DATA_DIR/journal [options]', {
  journal: { type: 'string', help: 'journal to replay (a copy is made; required)' },
  batch: { type: 'string', default: '50', help: 'journal records per batch' },
  'window-ms': { type: 'string', help: 'batches by time instead: the records whose changes fall within this many ms (as the live gather window)' },
  fk: { type: 'boolean', default: false, help: 'check foreign keys as a normal session does' },
});
if (!args.journal) throw new Error('--journal <DATA_DIR/journal> is required');
const batch = Number(args.batch);
const windowMs = args['window-ms'] === undefined ? undefined : Number(args['window-ms']);

// A copy: opening a journal may cut a torn tail, and the original stays as it was.
const scratch = await mkdtemp(join(tmpdir(), 'oms-qm-replay-'));
await cp(args.journal, join(scratch, 'journal'), { recursive: true });
const journal = await FileJournal.open({ dir: join(scratch, 'journal'), sync: 'none' });
const records: StateChanges[] = [];
for (const record of journal.readFrom(0)) records.push(decodeStateChanges(record.data));
await journal.close();

const db = await createPgliteWorkerClient({ dataDir: join(scratch, 'pglite') });
await runMigrations(db);
const cpuMs: Record<string, number> = {};
const rows: Record<string, number> = {};
const orderIds = new Set<string>();
const REPLICA: SqlStatement = { text: 'SET LOCAL session_replication_role = replica', params: [] };

async function timed(kind: string, count: number, statement: () => SqlStatement): Promise<void> {
  if (count === 0) return;
  const before = process.cpuUsage();
  await db.batch(args.fk ? [statement()] : [REPLICA, statement()]);
  const used = process.cpuUsage(before);
  cpuMs[kind] = (cpuMs[kind] ?? 0) + (used.user + used.system) / 1000;
  rows[kind] = (rows[kind] ?? 0) + count;
}

for (const batchOfRecords of windowMs === undefined ? byCount(records, batch) : byTime(records, windowMs)) {
  const c = coalesceStateChanges(batchOfRecords);
  for (const tracked of c.orders) orderIds.add(tracked.order.orderId);
  await timed('orders', c.orders.length, () => ordersUpsert(c.orders));
  await timed('child orders', c.children.length, () => childrenUpsert(c.children));
  await timed('fills', c.fills.length, () => fillsInsert(c.fills));
  await timed('history', c.history.length, () => historyInsert(c.history, { skipWritten: true }));
  await timed('positions', c.positions.length, () => positionsUpsert(c.positions));
  await timed('risk decisions', c.riskDecisions.length, () => riskDecisionsInsert(c.riskDecisions));
}
await db.close();
await rm(scratch, { recursive: true, force: true });

const orders = orderIds.size;
const batching = windowMs === undefined ? `batches of ${batch} records` : `batches of ${windowMs} ms`;
console.log(`${records.length} journal records, ${orders} orders, ${batching}, foreign keys ${args.fk ? 'checked' : 'not checked (replica)'}`);
for (const kind of Object.keys(cpuMs)) {
  console.log(
    `${kind.padEnd(15)} ${String(rows[kind]).padStart(8)} rows  ${((cpuMs[kind]! * 1000) / orders).toFixed(0).padStart(5)} µs CPU per order  ${((cpuMs[kind]! * 1000) / rows[kind]!).toFixed(0).padStart(5)} µs per row`,
  );
}

function* byCount(all: readonly StateChanges[], size: number): Generator<readonly StateChanges[]> {
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
}

/** When a record's changes happened: its latest order or child update (records without either join the batch open). */
function recordTime(changes: StateChanges): number | undefined {
  let latest: number | undefined;
  for (const { order } of changes.orders) latest = Math.max(latest ?? 0, order.updatedAt.getTime());
  for (const child of changes.children) latest = Math.max(latest ?? 0, child.updatedAt.getTime());
  return latest;
}

/** Consecutive records within `windowMs` of their batch's first: what the live writer gathers in its window. */
function* byTime(all: readonly StateChanges[], windowMs: number): Generator<readonly StateChanges[]> {
  let open: StateChanges[] = [];
  let openedAt: number | undefined;
  for (const changes of all) {
    const at = recordTime(changes);
    if (at !== undefined && openedAt !== undefined && at - openedAt >= windowMs) {
      yield open;
      open = [];
      openedAt = undefined;
    }
    open.push(changes);
    openedAt ??= at;
  }
  if (open.length > 0) yield open;
}
