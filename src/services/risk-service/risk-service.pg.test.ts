import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecimal, parsePrice, type Money } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import { defaultRiskLimits } from '../../domain/risk/pre-trade.js';
import { createMetrics } from '../../adapters/observability/prometheus-metrics.js';
import { SqlRiskControlStore } from '../../adapters/sql/risk/sql-risk-controls.js';
import { SqlRiskDecisionStore } from '../../adapters/sql/risk/sql-risk-decisions.js';
import { insertOrder } from '../../adapters/sql/test-support/risk-fixtures.js';
import { migratedPostgres, type IsolatedPostgres } from '../../adapters/sql/test-support/postgres.js';
import { systemClock } from '../../ports/clock.js';
import type { SqlClient } from '../../ports/sql.js';
import { RiskService } from './risk-service.js';

const policy = { defaults: defaultRiskLimits(), knownAccounts: 'ANY' as const };
const T0 = new Date();

describe('pre-trade risk across instances on PostgreSQL', () => {
  let db: SqlClient;
  let pg: IsolatedPostgres;
  let instances: RiskService[];

  beforeAll(async () => {
    ({ db, pg } = await migratedPostgres());
    // Two risk-service instances: each its own pool, as separate processes would have.
    instances = [pg.connect(), pg.connect()].map(
      (client) =>
        new RiskService({
          policy,
          store: new SqlRiskDecisionStore(client),
          marketData: { referencePrice: () => parsePrice('100')! },
          clock: { now: () => T0 },
          metrics: createMetrics(),
        }),
    );
  });
  afterAll(() => pg.drop());

  async function pendingOrders(accountId: string, count: number): Promise<Order[]> {
    const orders = [...Array(count)].map((_, i) =>
      createOrder(
        uuidv7(),
        {
          clientOrderId: `C${i}`,
          accountId,
          symbol: 'AAPL',
          side: 'BUY',
          orderType: 'LIMIT',
          quantity: 100 + (i % 7),
          limitPrice: parsePrice('100')!,
          timeInForce: 'DAY',
        },
        T0,
      ),
    );
    for (const o of orders) await insertOrder(db, { orderId: o.orderId, accountId, quantity: o.quantity, status: 'PENDING_NEW', createdAt: T0 });
    return orders;
  }
  /** Every order checked at once, alternating between the instances. */
  const approvedCount = async (orders: Order[]) => (await Promise.all(orders.map((o, i) => instances[i % 2]!.check(o)))).filter((d) => d.approved).length;

  it('never lets two instances approve on the same credit headroom', async () => {
    await new SqlRiskControlStore(db).setLimits('PG-CREDIT', { creditLimit: parseDecimal('100000') as Money }, { actor: 'test', at: systemClock.now() });
    const orders = await pendingOrders('PG-CREDIT', 40);
    await approvedCount(orders);
    const [row] = await db.query<{ used: string }>(
      `SELECT coalesce(sum(c.quantity * c.limit_price), 0)::text AS used FROM risk_checks c WHERE c.account_id = 'PG-CREDIT' AND c.approved`,
    );
    expect(parseDecimal(row!.used)!).toBeLessThanOrEqual(parseDecimal('100000')!);
    expect(parseDecimal(row!.used)!).toBeGreaterThan(parseDecimal('89000')!);
  });

  it('throttles one account across instances to the rate', async () => {
    await new SqlRiskControlStore(db).setLimits('PG-THROTTLE', { maxOrdersPerSecond: 5 }, { actor: 'test', at: systemClock.now() });
    expect(await approvedCount(await pendingOrders('PG-THROTTLE', 20))).toBe(5);
  });
});
