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
});
