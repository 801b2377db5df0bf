import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runMigrations } from '../migrate.js';
import { createPostgresClient } from './client.js';
import { describeSqlClientContract } from '../sql-client.contract.js';
import { isolatedPostgres, TEST_POSTGRES, type IsolatedPostgres } from '../test-support/postgres.js';

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describeSqlClientContract('PostgreSQL', async () => {
  const pg = await isolatedPostgres();
  return { db: pg.connect(), close: () => pg.drop() };
});

describe('migrations on PostgreSQL', () => {
  let pg: IsolatedPostgres | undefined;
  afterEach(async () => {
    await pg?.drop();
    pg = undefined;
  });

  it('applies each file once when several processes start at the same time', async () => {
    pg = await isolatedPostgres();
    const processes = Array.from({ length: 4 }, () => pg!.connect({ max: 2 }));
    const results = await Promise.all(processes.map((db) => runMigrations(db)));
    // Each file is locked on its own, so the processes may share the work: every file once in all.
    const applied = results.flat().sort();
    const files = readdirSync(fileURLToPath(new URL('../../../../migrations/', import.meta.url)))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(applied).toEqual(files);
    expect(await runMigrations(processes[0]!)).toEqual([]);
  });

  it('keeps each test schema apart: a fresh schema has no tables', async () => {
    pg = await isolatedPostgres();
    const rows = await pg.connect().query('SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()');
    expect(rows).toEqual([{ n: 0 }]);
  });
});

describe('PostgreSQL client when connections die', () => {
  it('survives killed idle and listening connections, and listens again after reconnecting', async () => {
    const errors: unknown[] = [];
    const db = createPostgresClient({ ...TEST_POSTGRES, max: 4, onError: (error) => errors.push(error) });
    const admin = createPostgresClient({ ...TEST_POSTGRES, max: 1 });
    const channel = `c_${process.pid}_${Date.now()}`;
    let notified = 0;
    const unlisten = await db.listen(channel, () => notified++);
    // Two pooled connections run a query naming the channel, so only this test's backends are killed.
    const mark = `SELECT '${channel}' AS mark, pg_sleep(0.05)`;
    await Promise.all([db.query(mark), db.query(mark)]);
    const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle' AND position($1 IN query) > 0", [channel]);
    expect(killed).toHaveLength(3);
    await until(() => errors.length > 0);
    // On reconnecting the listener is called once, for what it may have missed.
    await until(() => notified === 1);
    await db.query('SELECT pg_notify($1, $2)', [channel, '']);
    await until(() => notified === 2);
    await unlisten();
    await Promise.all([db.close(), admin.close()]);
  });
});
