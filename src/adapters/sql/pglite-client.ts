import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';

/**
 * SqlClient on PGlite (PostgreSQL in WebAssembly). One connection: queries queue, and a
 * transaction holds the connection until it ends, so nothing interleaves with it.
 * int8 comes back as a number, numeric as a decimal string (PGlite's defaults, same as our pg setup).
 */
export async function createPgliteClient(options: { dataDir?: string }): Promise<SqlClient> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const executor = (target: PGlite | Transaction): SqlExecutor => ({
    async query<Row extends object>(text: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(text, params ? [...params] : undefined);
      return result.rows;
    },
    async runScript(sql: string) {
      await target.exec(sql);
    },
  });
  const root = executor(db);
  return {
    kind: 'pglite',
    query: root.query,
    runScript: root.runScript,
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    listen: async (channel, onNotify) => db.listen(channel, () => onNotify()),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
