import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPgliteWorkerClient } from './worker-client.js';
import { PreparedStatements } from './prepared.js';
import { TYPE_PARSERS } from '../type-parsers.js';

describe('PreparedStatements on PGlite', () => {
  let db: PGlite;

  beforeEach(async () => {
    db = await PGlite.create({ parsers: TYPE_PARSERS });
    await db.exec(`CREATE TABLE t (id uuid PRIMARY KEY, qty bigint NOT NULL, px numeric(30, 8), detail jsonb, at timestamptz, note text)`);
  });

  afterEach(async () => {
    await db.close();
  });

  const prepared = async () =>
    (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).rows.map((r) => r.statement);

  it('returns what query() returns, for the same parameters', async () => {
    const statements = new PreparedStatements(db);
    const insert = `INSERT INTO t SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::numeric[], $4::jsonb[], $5::timestamptz[], $6::text[]) RETURNING *`;
    const id = '01890a5d-ac96-774b-bcce-b302099a8057';
    const viaPrepared = await statements.query(insert, [[id], [9_007_199_254_740_991], ['150.25'], [{ a: [1, 'x'] }], ['2026-11-25T10:00:00.123Z'], [null]]);
    const viaQuery = (await db.query('SELECT * FROM t WHERE id = $1', [id])).rows;
    expect(viaPrepared).toEqual(viaQuery);
    expect(viaPrepared).toEqual([
      { id, qty: 9_007_199_254_740_991, px: '150.25000000', detail: { a: [1, 'x'] }, at: new Date('2026-11-25T10:00:00.123Z'), note: null },
    ]);
    expect(await statements.query('SELECT qty FROM t WHERE px > $1', ['100'])).toEqual([{ qty: 9_007_199_254_740_991 }]);
    expect(await statements.query('UPDATE t SET px = NULL')).toEqual([]);
  });

  it('parses each statement once, and keeps at most its capacity', async () => {
    const statements = new PreparedStatements(db, 2);
    for (let i = 0; i < 3; i++) await statements.query('SELECT count(*) FROM t');
    expect(await prepared()).toEqual(['SELECT count(*) FROM t']);
    await statements.query('SELECT 1');
    await statements.query('SELECT count(*) FROM t');
    await statements.query('SELECT 2');
    // 'SELECT 1' was the least recently used of the three.
    expect(await prepared()).toEqual(['SELECT count(*) FROM t', 'SELECT 2']);
  });

  it('fails like query() does, and the statement works again afterwards', async () => {
    const statements = new PreparedStatements(db);
    const insert = 'INSERT INTO t (id, qty) VALUES ($1, $2)';
    const id = '01890a5d-ac96-774b-bcce-b302099a8057';
    await statements.query(insert, [id, 1]);
    await expect(statements.query(insert, [id, 2])).rejects.toMatchObject({ code: '23505' });
    await expect(statements.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
    await statements.query(insert, ['01890a5d-ac96-774b-bcce-b302099a8058', 3]);
    expect((await db.query('SELECT qty FROM t ORDER BY qty')).rows).toEqual([{ qty: 1 }, { qty: 3 }]);
  });
});

describe('the PGlite worker with prepared statements', () => {
  it('sees a column that a script added to a table it had read before', async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript('CREATE TABLE t (a int); INSERT INTO t VALUES (1)');
    expect(await db.query('SELECT * FROM t')).toEqual([{ a: 1 }]);
    await db.runScript('ALTER TABLE t ADD COLUMN b int DEFAULT 2');
    expect(await db.query('SELECT * FROM t')).toEqual([{ a: 1, b: 2 }]);
    await db.close();
  });

  it('plans each execution for its parameters, never with a generic plan made while a table was small', async () => {
    const db = await createPgliteWorkerClient({});
    await db.runScript('CREATE TABLE t (a int PRIMARY KEY)');
    for (let i = 0; i < 10; i++) await db.query('SELECT a FROM t WHERE a = $1', [i]);
    const [plans] = await db.query<{ generic: number; custom: number }>(
      "SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = 'SELECT a FROM t WHERE a = $1'",
    );
    expect(plans).toEqual({ generic: 0, custom: 10 });
    await db.close();
  });
});
