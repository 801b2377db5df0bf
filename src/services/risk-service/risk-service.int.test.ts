import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrice } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { NewOrder, Order } from '../../domain/order/order.js';
import type { KillSwitchScope } from '../../domain/risk/kill-switch.js';
import { defaultRiskLimits, type RiskDecision } from '../../domain/risk/pre-trade.js';
import { createLogger } from '../../adapters/observability/pino-logger.js';
import { createMetrics } from '../../adapters/observability/prometheus-metrics.js';
import { SqlRiskControlStore } from '../../adapters/sql/risk/sql-risk-controls.js';
import { SqlRiskDecisionStore } from '../../adapters/sql/risk/sql-risk-decisions.js';
import { insertOrder, setPosition } from '../../adapters/sql/test-support/risk-fixtures.js';
import { migratedPglite } from '../../adapters/sql/test-support/pglite.js';
import type { SqlClient } from '../../ports/sql.js';
import type { WorkingOrderCanceller } from '../../ports/working-order-canceller.js';
import { CancelAllFailedError } from '../../ports/risk-controls.js';
import { RiskControlService } from './risk-controls.js';
import type { RiskPolicy } from '../../domain/risk/policy.js';
import { RiskService } from './risk-service.js';

const T0 = new Date('2025-01-02T15:00:00.000Z');
const clock = {
  current: T0,
  now() {
    return this.current;
  },
};
const advance = (ms: number) => (clock.current = new Date(clock.current.getTime() + ms));
const policy: RiskPolicy = { defaults: defaultRiskLimits(), knownAccounts: 'ANY' };
const code = (d: RiskDecision): string => (d.approved ? 'OK' : d.code);
const logger = createLogger({ level: 'silent' });

/** A canceller that records what it was asked, standing in for the order lifecycle's cancel flow. */
function recordingCanceller(working = 3): WorkingOrderCanceller & { calls: KillSwitchScope[] } {
  const calls: KillSwitchScope[] = [];
  return { calls, cancelAll: async (scope) => (calls.push(scope), working) };
}

describe('RiskService with its SQL stores', () => {
  let db: SqlClient;
  let risk: RiskService;
  let canceller: ReturnType<typeof recordingCanceller>;
  let controls: RiskControlService;

  beforeAll(async () => {
    db = await migratedPglite();
    risk = new RiskService({
      policy,
      store: new SqlRiskDecisionStore(db),
      marketData: { referencePrice: () => parsePrice('100')! },
      clock,
      metrics: createMetrics(),
    });
    canceller = recordingCanceller();
    controls = new RiskControlService({ store: new SqlRiskControlStore(db), policy, clock, logger, canceller });
  });
  afterAll(() => db.close());

  /** An order as oms-ingest stores it (PENDING_NEW), arriving now. */
  async function stored(accountId: string, terms: Partial<NewOrder> = {}): Promise<Order> {
    const order = createOrder(
      uuidv7(),
      {
        clientOrderId: 'C',
        accountId,
        symbol: 'AAPL',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: 100,
        limitPrice: parsePrice('100')!,
        timeInForce: 'DAY',
        ...terms,
      },
      clock.now(),
    );
    await insertOrder(db, {
      orderId: order.orderId,
      accountId,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      status: 'PENDING_NEW',
      limitPrice: terms.limitPrice === null ? null : '100',
      createdAt: order.createdAt,
    });
    return order;
  }
  const checkAll = async (orders: Order[]) => (await Promise.all(orders.map((o) => risk.check(o)))).map(code);
  const setLimits = async (accountId: string, body: Record<string, unknown>) => expect((await controls.setLimits(accountId, body, 'officer')).ok).toBe(true);

  it('decides orders arriving together in turn: two orders never pass on the same credit headroom', async () => {
    await setLimits('CR-1', { creditLimit: '25000' });
    const orders = await Promise.all([...Array(4)].map((_, i) => stored('CR-1', { quantity: 100 + i })));
    // 10,000, 10,100 fit; 10,200 would make 30,300.
    expect(await checkAll(orders)).toEqual(['OK', 'OK', 'CREDIT_LIMIT', 'CREDIT_LIMIT']);
    // A later batch sees the approvals (still PENDING_NEW) as working exposure.
    expect(await checkAll([await stored('CR-1', { quantity: 49 })])).toEqual(['OK']);
    expect(await checkAll([await stored('CR-1', { quantity: 2 })])).toEqual(['CREDIT_LIMIT']);
    // The defaults still apply to everyone else.
    expect(await checkAll([await stored('CR-OTHER', { quantity: 10_000 })])).toEqual(['OK']);
  });

  it('counts the position and same-side working orders against the position limit', async () => {
    await setLimits('PL-1', { maxPosition: 1000 });
    await setPosition(db, 'PL-1', 'AAPL', 700, '70000');
    await insertOrder(db, { accountId: 'PL-1', status: 'PARTIALLY_FILLED', quantity: 300, leavesQuantity: 100 });
    expect(await checkAll([await stored('PL-1', { quantity: 200 }), await stored('PL-1', { quantity: 1 })])).toEqual(['OK', 'POSITION_LIMIT']);
    expect(await checkAll([await stored('PL-1', { side: 'SELL', quantity: 1700, limitPrice: parsePrice('95') })])).toEqual(['OK']);
  });

  it('rejects a duplicate within the window across batches, and decides a redelivered order once', async () => {
    await setLimits('DUP-1', { duplicateWindowMs: 2000 });
    const first = await stored('DUP-1');
    expect(await checkAll([first])).toEqual(['OK']);
    advance(1999);
    expect(await checkAll([await stored('DUP-1')])).toEqual(['DUPLICATE_ORDER']);
    // The same order checked again (a redelivery) is not its own duplicate.
    expect(await checkAll([first, first])).toEqual(['OK', 'OK']);
    advance(1);
    expect(await checkAll([await stored('DUP-1')])).toEqual(['OK']);
  });

  it('throttles approvals to the rate in any sliding second', async () => {
    await setLimits('TH-1', { maxOrdersPerSecond: 3 });
    const burst = await Promise.all([...Array(5)].map((_, i) => stored('TH-1', { quantity: 100 + i })));
    expect(await checkAll(burst)).toEqual(['OK', 'OK', 'OK', 'THROTTLED', 'THROTTLED']);
    advance(999);
    expect(await checkAll([await stored('TH-1', { quantity: 1 })])).toEqual(['THROTTLED']);
    advance(1);
    expect(await checkAll([await stored('TH-1', { quantity: 2 })])).toEqual(['OK']);
  });

  it('blocks an account under its kill switch and every account under the global one, and asks for the cancels', async () => {
    const engaged = await controls.engage({ scope: 'ACCOUNT', accountId: 'KS-1', reason: 'runaway algo' }, 'officer');
    expect(engaged).toMatchObject({ ok: true, value: { engagedNow: true, canceledOrders: 3 } });
    expect(canceller.calls).toEqual([{ scope: 'ACCOUNT', accountId: 'KS-1' }]);
    const blocked = await risk.check(await stored('KS-1'));
    expect(blocked).toEqual({ approved: false, code: 'KILL_SWITCH', reason: 'kill switch of account KS-1 engaged by officer: runaway algo' });
    expect(await checkAll([await stored('KS-2')])).toEqual(['OK']);

    await controls.engage({ scope: 'GLOBAL', reason: 'market halt' }, 'head-of-risk');
    expect(canceller.calls.at(-1)).toEqual({ scope: 'GLOBAL' });
    expect(await checkAll([await stored('KS-2'), await stored('KS-3')])).toEqual(['KILL_SWITCH', 'KILL_SWITCH']);
    await controls.release({ scope: 'GLOBAL' }, 'head-of-risk');
    expect(await checkAll([await stored('KS-1'), await stored('KS-2')])).toEqual(['KILL_SWITCH', 'OK']);
    await controls.release({ scope: 'ACCOUNT', accountId: 'KS-1', reason: 'fixed' }, 'officer');
    expect(await checkAll([await stored('KS-1')])).toEqual(['OK']);
  });

  it('keeps a switch engaged when the cancels fail, and says so', async () => {
    const failing = new RiskControlService({
      store: new SqlRiskControlStore(db),
      policy,
      clock,
      logger,
      canceller: { cancelAll: () => Promise.reject(new Error('venue down')) },
    });
    await expect(failing.engage({ scope: 'ACCOUNT', accountId: 'KS-FAIL', reason: 'r' })).rejects.toBeInstanceOf(CancelAllFailedError);
    expect(await checkAll([await stored('KS-FAIL')])).toEqual(['KILL_SWITCH']);
    const unwired = new RiskControlService({ store: new SqlRiskControlStore(db), policy, clock, logger });
    expect(await unwired.engage({ scope: 'ACCOUNT', accountId: 'KS-FAIL', reason: 'r' })).toMatchObject({
      ok: true,
      value: { engagedNow: false, canceledOrders: null },
    });
    expect((await controls.auditTrail(1))[0]).toMatchObject({ action: 'KILL_SWITCH_ENGAGED', actor: 'anonymous' });
  });
});
