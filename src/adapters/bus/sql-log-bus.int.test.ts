import { describeEventBusContract } from './event-bus.contract.js';
import { SqlLogBus } from './sql-log-bus.js';
import { migratedPglite } from '../sql/test-support/pglite.js';

describeEventBusContract('SqlLogBus on PGlite', async () => {
  const db = await migratedPglite();
  return { newBus: async () => new SqlLogBus(db, { pollMs: 20 }), cleanUp: () => db.close() };
});
