import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';

/** migrations/ at the repository root, from src/adapters/sql (tsx, vitest) and dist/adapters/sql (built). */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
/** Any constant: serialises concurrent starts of several processes on one PostgreSQL database. */
const MIGRATION_LOCK = 72_041_101;

/**
 * Takes the migration lock for the rest of `tx`, and creates the bookkeeping table under it: two
 * processes running CREATE TABLE IF NOT EXISTS at once can both try to create it, and one fails.
 */
async function lockMigrations(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
}

/** Applies each migrations/*.sql file once, in name order, each in its own transaction. Returns those applied now. */
export async function runMigrations(db: SqlClient, directory = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(directory)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const applied: string[] = [];
  for (const name of files) {
    const done = await db.transaction(async (tx) => {
      await lockMigrations(tx);
      const existing = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name]);
      if (existing.length > 0) return false;
      await tx.runScript(readFileSync(`${directory}/${name}`, 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}
