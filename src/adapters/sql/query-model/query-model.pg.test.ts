import { describeQueryModel } from './query-model.contract.js';
import { migratedPostgres } from '../test-support/postgres.js';

describeQueryModel('PostgreSQL', async () => {
  const { db, pg } = await migratedPostgres();
  return { db, cleanUp: () => pg.drop() };
});
