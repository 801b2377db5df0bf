import { PostgresStore, type MessageStore } from '../../fix/index.js';
import type { SqlClient } from '../../ports/sql.js';

/**
 * A FIX session's store in PostgreSQL (sequence numbers and sent messages), so the session
 * survives its process: a restarted or standby process resumes it where the last one left off.
 */
export function openPostgresFixStore(db: SqlClient, sessionName: string): Promise<MessageStore> {
  return PostgresStore.open({ query: async (text, params) => ({ rows: await db.query(text, params) }) }, sessionName);
}
