import pg from 'pg';
import type { SqlClient, SqlExecutor } from '../../../ports/sql.js';
import { listenOnPool } from './listener.js';
import { batchInTransaction } from '../sql-batch.js';
import { TYPE_PARSERS } from '../type-parsers.js';

export interface PostgresOptions {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly max?: number;
  /** search_path for every connection; tests isolate themselves in their own schema. */
  readonly schema?: string;
  /**
   * Connection errors outside any query (an idle pooled connection or the LISTEN connection dying);
   * the pool replaces the connection. Queries in flight still reject with their own error.
   */
  readonly onError?: (error: unknown) => void;
}

/** SqlClient on a node-postgres pool: numeric as decimal strings, int8 as numbers (see type-parsers.ts). */
export function createPostgresClient(options: PostgresOptions): SqlClient {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({
    host: options.host,
    port: options.port,
    database: options.database,
    user: options.user,
    password: options.password,
    max: options.max ?? 16,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const onError = options.onError ?? (() => undefined);
  // An 'error' event nobody listens to would crash the process.
  pool.on('error', onError);
  const executor = (target: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async query<Row extends object>(text: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(text, params ? [...params] : undefined);
      return result.rows;
    },
    async runScript(sql: string) {
      // Without parameters pg uses the simple query protocol, which allows several statements.
      await target.query(sql);
    },
  });
  const root = executor(pool);
  const sqlClient: SqlClient = {
    kind: 'postgres',
    batch: (statements) => batchInTransaction((fn) => sqlClient.transaction(fn), statements),
    query: root.query,
    runScript: root.runScript,
    async transaction(fn) {
      const client = await pool.connect();
      // A connection that died or whose ROLLBACK failed is destroyed, not returned to the pool.
      let broken: Error | undefined;
      const onConnectionError = (error: Error) => {
        broken = error;
        onError(error);
      };
      client.on('error', onConnectionError);
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        // PostgreSQL answers COMMIT of a transaction in which a statement failed with ROLLBACK, not an error.
        const commit = await client.query('COMMIT');
        if (commit.command === 'ROLLBACK') throw new Error('transaction rolled back: one of its statements failed');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.off('error', onConnectionError);
        client.release(broken);
      }
    },
    listen: (channel, onNotify) => listenOnPool(pool, channel, onNotify, onError),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
  return sqlClient;
}
