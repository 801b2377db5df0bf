import { describeStorage } from './storage.contract.js';
import { migratedPglite } from '../test-support/pglite.js';

describeStorage('PGlite', async () => {
  const db = await migratedPglite();
  return { db, cleanUp: () => db.close() };
});
