import pg from 'pg';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';

const NUMERIC_OID = 1700;
const INT8_OID = 20;

export interface PostgresOptions {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly max?: number;
  /** search_path for every connection; tests isolate themselves in their own schema. */
  readonly schema?: string;
}

/** SqlClient on a node-postgres pool: numeric as decimal strings (never floats), int8 as numbers (quantities < 2^53). */
export function createPostgresClient(options: PostgresOptions): SqlClient {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === NUMERIC_OID) return (value: string) => value;
      if (oid === INT8_OID) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
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
  return {
    kind: 'postgres',
    query: root.query,
    runScript: root.runScript,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      // LISTEN needs a connection of its own for as long as it listens.
      const client = await pool.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
