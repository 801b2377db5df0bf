import { createPgliteWorkerClient } from '../pglite/worker-client.js';
import { runMigrations } from '../migrate.js';
import type { SqlClient } from '../../../ports/sql.js';

/** A migrated in-memory PGlite database for one test. */
export async function migratedPglite(): Promise<SqlClient> {
  const db = await createPgliteWorkerClient({});
  await runMigrations(db);
  return db;
}
