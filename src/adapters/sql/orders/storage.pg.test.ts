import { describeStorage } from './storage.contract.js';
import { migratedPostgres } from '../test-support/postgres.js';

describeStorage('PostgreSQL', async () => {
  const { db, pg } = await migratedPostgres();
  return { db, cleanUp: () => pg.drop() };
});
