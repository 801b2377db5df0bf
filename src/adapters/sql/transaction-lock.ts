import type { SqlExecutor } from '../../ports/sql.js';

/**
 * Takes the advisory lock named `name` in this schema (so that tests in schemas of their own do
 * not exclude each other) for the rest of `tx`, if no other transaction holds it; never waits.
 * Returns whether it was taken.
 */
export async function tryTransactionLock(tx: SqlExecutor, name: string): Promise<boolean> {
  const [row] = await tx.query<{ held: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1 || current_schema())) AS held', [name]);
  return row?.held === true;
}
