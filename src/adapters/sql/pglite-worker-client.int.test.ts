import { describe, expect, it } from 'vitest';
import { createPgliteWorkerClient } from './pglite-worker-client.js';
import { describeSqlClientContract } from './sql-client.contract.js';

describeSqlClientContract('PGlite in a worker thread, in memory', async () => {
  const db = await createPgliteWorkerClient({});
  return { db, close: () => db.close() };
});

describe('PGlite worker client', () => {
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

  it('runs urgent transactions first, but a steady stream of them does not starve the others', async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript('CREATE TABLE t (n int)');
    let stop = false;
    let urgentDone = 0;
    const stream = (async () => {
      // Two in flight, so an urgent transaction is always waiting when the worker picks the next one.
      const worker = async () => {
        while (!stop) {
          await db.urgent.transaction(async (t) => {
            await t.query('INSERT INTO t SELECT generate_series(1, 200)');
          });
          urgentDone++;
        }
      };
      await Promise.all([worker(), worker()]);
    })();
    await new Promise((r) => setTimeout(r, 100));
    const started = urgentDone;
    const others = await Promise.all(Array.from({ length: 5 }, () => db.transaction((t) => t.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))));
    const urgentMeanwhile = urgentDone - started;
    stop = true;
    await stream;
    expect(others).toHaveLength(5);
    // The others went in turn with the stream, which kept most of the connection's time.
    expect(urgentMeanwhile).toBeGreaterThan(5);
    await db.close();
  });
});
