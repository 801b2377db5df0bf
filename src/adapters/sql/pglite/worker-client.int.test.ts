import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPgliteWorkerClient } from './worker-client.js';
import { describeSqlClientContract } from '../sql-client.contract.js';

describeSqlClientContract('PGlite in a worker thread, in memory', async () => {
  const db = await createPgliteWorkerClient({});
  return { db, close: () => db.close() };
});

describe('PGlite worker client', () => {
  it('joins a batch of 100 keys through the index, not by scanning the table (in-memory page costs)', async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript(
      'CREATE TABLE items (id uuid PRIMARY KEY, n int NOT NULL); INSERT INTO items SELECT gen_random_uuid(), g FROM generate_series(1, 20000) g; ANALYZE items;',
    );
    const keys = (await db.query<{ id: string }>('SELECT id::text FROM items ORDER BY n LIMIT 100')).map((r) => r.id);
    const plan = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT i.n FROM items i JOIN unnest($1::uuid[]) AS k(id) USING (id)', [keys]);
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using items_pkey');
    await db.close();
  });

  it('runs a query issued during a transaction only after the transaction ended', async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript('CREATE TABLE t (n int)');
    const seen: string[] = [];
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO t VALUES (1)');
      await new Promise((r) => setTimeout(r, 50));
      seen.push('transaction done');
    });
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t').then(([row]) => seen.push(`outside saw ${row!.n}`));
    await Promise.all([tx, outside]);
    expect(seen).toEqual(['transaction done', 'outside saw 1']);
    await db.close();
  });

  it("keeps a transaction's statements, sent before its BEGIN ran, out of the transaction open before it", async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript('CREATE TABLE t (n int)');
    const first = db.transaction(async (t) => {
      await t.query('INSERT INTO t VALUES (1)');
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('first rolls back');
    });
    // Sent while the first is open: it must wait for it, not run inside it and vanish with it.
    const second = db.transaction((t) => t.query('INSERT INTO t VALUES (2)'));
    await expect(first).rejects.toThrow('first rolls back');
    await second;
    expect(await db.query('SELECT n FROM t')).toEqual([{ n: 2 }]);
    await db.close();
  });

  it('runs an urgent transaction before one that was waiting longer', async () => {
    const db = await createPgliteWorkerClient({});
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    // Holds the connection, so both of the next two wait for it.
    const holder = db.transaction(async (t) => {
      await t.query('SELECT 1');
      await released;
    });
    await new Promise((r) => setTimeout(r, 20));
    const normal = db.transaction(async (t) => void (await t.query('SELECT 1'), order.push('normal')));
    const urgent = db.urgent.transaction(async (t) => void (await t.query('SELECT 1'), order.push('urgent')));
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([holder, normal, urgent]);
    expect(order).toEqual(['urgent', 'normal']);
    await db.close();
  });

  it('does not let a steady stream of urgent transactions starve the others', async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript('CREATE TABLE t (n int)');
    let stop = false;
    // Two in flight, so an urgent transaction is always waiting when the worker picks the next one:
    // with strict priority the others below would never run.
    const urgentStream = async () => {
      while (!stop) await db.urgent.transaction(async (t) => void (await t.query('INSERT INTO t SELECT generate_series(1, 200)')));
    };
    const streams = [urgentStream(), urgentStream()];
    await new Promise((r) => setTimeout(r, 100));
    const others = await Promise.all(Array.from({ length: 5 }, () => db.transaction((t) => t.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))));
    stop = true;
    await Promise.all(streams);
    expect(others.map(([row]) => row!.n > 0)).toEqual([true, true, true, true, true]);
    await db.close();
  });

  it('replaces a worker stuck on a statement: the waiting calls fail, the open transaction is lost, and the data committed before is there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pglite-stuck-'));
    const restarts: string[] = [];
    const db = await createPgliteWorkerClient({ dataDir, stuckAfterMs: 3_000, onRestart: (reason) => restarts.push(reason) });
    try {
      await db.runScript('CREATE TABLE kept (n int); INSERT INTO kept VALUES (1);');
      let transactionSettled: unknown;
      const transaction = db
        .transaction(async (tx) => {
          await tx.query('INSERT INTO kept VALUES (2)');
          await tx.query('SELECT pg_sleep(120)'); // stands for PGlite spinning after a failed CHECKPOINT
        })
        .then(
          () => (transactionSettled = 'committed'),
          (error: Error) => (transactionSettled = error.message),
        );
      const queued = db.query('SELECT 1 AS one');
      await expect(queued).rejects.toThrow(/database worker replaced: no answer for \d+ ms/);
      await transaction;
      expect(transactionSettled).toMatch(/database worker replaced/);
      expect(restarts).toHaveLength(1);
      expect(await db.query('SELECT n FROM kept ORDER BY n')).toEqual([{ n: 1 }]);
      await db.query('INSERT INTO kept VALUES (3)');
      expect(await db.query('SELECT count(*)::int AS rows FROM kept')).toEqual([{ rows: 2 }]);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
