import { describeQueryModel } from './query-model.contract.js';
import { migratedPglite } from '../test-support/pglite.js';

describeQueryModel('PGlite', async () => {
  const db = await migratedPglite();
  return { db, cleanUp: () => db.close() };
});
