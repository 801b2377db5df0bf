import { randomUUID } from 'node:crypto';
import { createPostgresClient } from '../postgres/client.js';
import { runMigrations } from '../migrate.js';
import type { SqlClient } from '../../../ports/sql.js';

/** The machine's PostgreSQL (127.0.0.1:5432, database test, trust auth) unless POSTGRES_* say otherwise. */
export const TEST_POSTGRES = {
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  database: process.env.POSTGRES_DB ?? 'test',
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? '',
};

/** A schema of its own on the real PostgreSQL: clients connect into it; drop() closes them and removes it. */
export interface IsolatedPostgres {
  readonly schema: string;
  /** A new client (its own pool) whose search_path is the schema, as a separate process would have. */
  connect(options?: { max?: number }): SqlClient;
  drop(): Promise<void>;
}

export async function isolatedPostgres(): Promise<IsolatedPostgres> {
  const schema = `oms_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = createPostgresClient({ ...TEST_POSTGRES, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const clients: SqlClient[] = [];
  return {
    schema,
    connect: (options = {}) => {
      const client = createPostgresClient({ ...TEST_POSTGRES, schema, max: options.max ?? 8 });
      clients.push(client);
      return client;
    },
    drop: async () => {
      for (const client of clients.splice(0)) await client.close().catch(() => undefined);
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/** An isolated schema with the migrations applied, and a client on it. */
export async function migratedPostgres(): Promise<{ db: SqlClient; pg: IsolatedPostgres }> {
  const pg = await isolatedPostgres();
  const db = pg.connect();
  await runMigrations(db);
  return { db, pg };
}
