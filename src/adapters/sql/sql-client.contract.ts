import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../ports/sql.js';

/** What every SqlClient must do the same way on PGlite and PostgreSQL. */
export function describeSqlClientContract(name: string, open: () => Promise<{ db: SqlClient; close(): Promise<void> }>): void {
  describe(`SqlClient contract: ${name}`, () => {
    // One database for the suite: starting PGlite takes seconds, and no test depends on another's rows.
    let opened: { db: SqlClient; close(): Promise<void> };
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened.close();
    });

    it('returns numeric as the exact decimal string and int8 as a number', async () => {
      const { db } = opened;
      const [row] = await db.query<{ price: unknown; qty: unknown; big: unknown; total: unknown }>(
        'SELECT 150.25::numeric(30, 8) AS price, 12345678901234::bigint AS qty, 9007199254740991::bigint AS big, count(*) AS total FROM (VALUES (1), (2)) v',
      );
      expect(row).toEqual({ price: '150.25000000', qty: 12345678901234, big: Number.MAX_SAFE_INTEGER, total: 2 });
    });

    it('fails a query whose int8 would not fit a number exactly, instead of rounding it', async () => {
      const { db } = opened;
      await expect(db.query('SELECT 9007199254740993::bigint AS big')).rejects.toThrow(/does not fit/);
      await db.ping();
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      const { db } = opened;
      // A plain table: on a pool, a temporary one would exist on one connection only.
      await db.runScript('CREATE TABLE contract_t (n int)');
      await db.transaction(async (tx) => void (await tx.query('INSERT INTO contract_t VALUES (1)')));
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO contract_t VALUES (2)');
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await db.query('SELECT n FROM contract_t')).toEqual([{ n: 1 }]);
    });

    it('fails the commit of a transaction whose unawaited write failed, and keeps none of its writes', async () => {
      const { db } = opened;
      await db.runScript('CREATE TABLE contract_unawaited (n int PRIMARY KEY)');
      await expect(
        db.transaction(async (tx) => {
          void tx.query('INSERT INTO contract_unawaited VALUES (1)').catch(() => undefined);
          void tx.query('INSERT INTO contract_unawaited VALUES (1)').catch(() => undefined); // duplicate key
        }),
      ).rejects.toThrow();
      expect(await db.query('SELECT n FROM contract_unawaited')).toEqual([]);
      await db.transaction(async (tx) => void tx.query('INSERT INTO contract_unawaited VALUES (2)').catch(() => undefined));
      expect(await db.query('SELECT n FROM contract_unawaited')).toEqual([{ n: 2 }]);
    });

    it('runs a batch in one transaction: each statement returns its rows, and one failing rolls back all with its own error', async () => {
      const { db } = opened;
      await db.runScript('CREATE TABLE contract_batch (n int PRIMARY KEY)');
      const [inserted, counted] = await db.batch([
        { text: 'INSERT INTO contract_batch SELECT * FROM unnest($1::int[]) RETURNING n', params: [[1, 2]] },
        { text: 'SELECT count(*)::int AS n FROM contract_batch' },
      ]);
      expect(inserted).toEqual([{ n: 1 }, { n: 2 }]);
      expect(counted).toEqual([{ n: 2 }]);
      await expect(
        db.batch([
          { text: 'INSERT INTO contract_batch VALUES (3)' },
          { text: 'INSERT INTO contract_batch VALUES (1)' },
          { text: 'INSERT INTO contract_batch VALUES (4)' },
        ]),
      ).rejects.toThrow(/duplicate key/);
      expect(await db.query('SELECT n FROM contract_batch ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('delivers a committed NOTIFY to the listener of its channel', async () => {
      const { db } = opened;
      let notified = 0;
      const unlisten = await db.listen('contract_channel', () => notified++);
      await db.query("SELECT pg_notify('contract_channel', '')");
      const deadline = Date.now() + 2000;
      while (notified === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await unlisten();
      expect(notified).toBe(1);
    });
  });
}
