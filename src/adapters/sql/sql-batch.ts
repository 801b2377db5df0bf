import type { SqlClient, SqlExecutor, SqlStatement } from '../../ports/sql.js';

/**
 * SqlClient.batch on top of the client's own transaction: every statement is sent at once and
 * the COMMIT follows them without waiting (a failed statement fails the COMMIT, see
 * SqlClient.transaction), so on PGlite's worker the whole transaction is one round trip.
 */
export async function batchInTransaction(transaction: SqlClient['transaction'], statements: readonly SqlStatement[]): Promise<Record<string, unknown>[][]> {
  let sent: Promise<Record<string, unknown>[]>[] = [];
  try {
    await transaction(async (tx: SqlExecutor) => {
      sent = statements.map(({ text, params }) => tx.query(text, params));
      for (const statement of sent) statement.catch(() => undefined); // reported below
    });
  } catch (error) {
    // The first failed statement is the cause; the ones after it and the COMMIT failed because of it.
    const failed = (await Promise.allSettled(sent)).find((outcome) => outcome.status === 'rejected');
    throw failed ? failed.reason : error;
  }
  return Promise.all(sent);
}
