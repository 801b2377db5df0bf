import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import { FileJournal } from '../../adapters/journal/file-journal.js';
import { decodeStateChanges } from '../../adapters/journal/state-changes-codec.js';
import { SqlQueryModelWriter } from '../../adapters/sql/query-model/sql-query-model-writer.js';
import { SqlWorkingStateLoader } from '../../adapters/sql/query-model/sql-working-state-loader.js';
import { migratedPglite } from '../../adapters/sql/test-support/pglite.js';
import type { SqlClient } from '../../ports/sql.js';
import { LiveOrders } from '../oms-core/live-orders.js';
import type { RiskControlSnapshot } from '../risk-service/risk-book.js';
import type { OrderFlow } from './order-flow.js';
import { catchUpQueryModel, loadWorkingState } from './recovery.js';
import { StoredClientKeys } from './stored-client-keys.js';
import { orderFlowForTests, permissiveRiskBook, silentLogger as logger, twoVenueMarket } from './test-support/order-flow-for-tests.js';

const CONTROLS: RiskControlSnapshot = { overrides: new Map(), killSwitches: [] };

/** Restart as embedded.ts does it: journal tail to the query model, working state loaded, client keys of older orders looked up. */
describe('restart: client keys of orders stored before the start', () => {
  let dir: string;
  let db: SqlClient;
  let journal: FileJournal;
  const market = twoVenueMarket();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recovery-'));
    db = await migratedPglite();
    journal = await FileJournal.open({ dir });
  });
  afterEach(async () => {
    await journal.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(live: LiveOrders, storedKeys?: StoredClientKeys): OrderFlow {
    return orderFlowForTests({
      live,
      journal,
      market,
      // Nothing reaches a venue: the orders stay working.
      venues: { sendNewOrder: async () => undefined, sendCancel: async () => undefined },
      storedOrder: async (orderId) => (orderId ? ({ orderId, status: 'STORED' } as unknown as Order) : null),
      storedOrderIdFor: storedKeys && ((accountId, clientOrderId) => storedKeys.orderIdFor(accountId, clientOrderId)),
    });
  }
  const order = (clientOrderId: string, orderType: 'MARKET' | 'LIMIT' = 'MARKET'): Order =>
    createOrder(
      uuidv7(),
      { clientOrderId, accountId: 'REC-1', symbol: 'AAPL', side: 'BUY', orderType, quantity: 100, limitPrice: null, timeInForce: 'DAY' },
      new Date(),
    );

  it('returns the order stored before the restart for its client key, before and after the filter is read, and takes new keys', async () => {
    const before = start(new LiveOrders());
    const first = await before.submit(order('K-1'));
    const second = await before.submit(order('K-2'));
    await before.idle();

    await catchUpQueryModel(journal, new SqlQueryModelWriter(db), decodeStateChanges);
    // A final order: the query model has it, memory after the restart does not.
    await db.query(`UPDATE orders SET status = 'CANCELED' WHERE order_id = $1`, [second.order.orderId]);
    const live = new LiveOrders();
    const loader = new SqlWorkingStateLoader(db);
    await loadWorkingState(loader, { live, risk: permissiveRiskBook(market) }, CONTROLS, new Date());
    expect(live.get(first.order.orderId)).toBeDefined();
    expect(live.get(second.order.orderId)).toBeUndefined();
    let lookups = 0;
    const storedKeys = new StoredClientKeys(
      { orderIdForClientKey: (a, c) => (lookups++, loader.orderIdForClientKey(a, c)), clientKeyFilter: () => loader.clientKeyFilter() },
      logger,
    );
    const after = start(live, storedKeys);

    // No filter yet: each key not in memory is looked up.
    expect(await after.submit(order('K-2'))).toMatchObject({ created: false, order: { orderId: second.order.orderId } });
    expect(await after.submit(order('K-1'))).toMatchObject({ created: false, order: { orderId: first.order.orderId, status: 'NEW' } });
    expect(lookups).toBe(1); // K-1 is a working order: its key came with it
    const fresh = await after.submit(order('K-3'));
    expect(fresh.created).toBe(true);
    expect(lookups).toBe(2);

    await storedKeys.loadFilter();
    expect(await after.submit(order('K-2'))).toMatchObject({ created: false, order: { orderId: second.order.orderId } });
    expect(lookups).toBe(3);
    // New keys pass the filter without a lookup; a key taken since the start is in memory.
    expect((await after.submit(order('K-4'))).created).toBe(true);
    expect(await after.submit(order('K-3'))).toMatchObject({ created: false, order: { orderId: fresh.order.orderId } });
    expect(lookups).toBe(3);
    // The same new key twice at once: one order.
    const [a, b] = await Promise.all([after.submit(order('K-5')), after.submit(order('K-5'))]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.order.orderId).toBe(b.order.orderId);
    await after.idle();
  }, 60_000);
});
