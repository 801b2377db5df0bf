import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecimal, parsePrice, type Money } from '../../../domain/money/price.js';
import { APPROVED, deny } from '../../../domain/risk/decision.js';
import type { RiskOrder } from '../../../domain/risk/exposure.js';
import type { RecordedDecision } from '../../../ports/risk-store.js';
import type { SqlClient } from '../../../ports/sql.js';
import { SqlRiskControlStore } from './sql-risk-controls.js';
import { SqlRiskDecisionStore } from './sql-risk-decisions.js';
import { insertOrder, setPosition } from '../test-support/risk-fixtures.js';
import { migratedPglite } from '../test-support/pglite.js';

const T0 = new Date('2025-01-02T15:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

const riskOrder = (accountId: string, changes: Partial<RiskOrder> = {}): RiskOrder => ({
  orderId: uuidv7(),
  clientOrderId: 'C',
  accountId,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: parsePrice('100')!,
  timeInForce: 'DAY',
  createdAt: T0,
  ...changes,
});
const approved = (order: RiskOrder, decidedAt = T0): RecordedDecision => ({ order, decision: APPROVED, decidedAt });
const rejected = (order: RiskOrder, decidedAt = T0): RecordedDecision => ({ order, decision: deny('MAX_QUANTITY', 'too big'), decidedAt });

describe('risk stores on PGlite', () => {
  let db: SqlClient;
  let decisions: SqlRiskDecisionStore;
  let controls: SqlRiskControlStore;

  beforeAll(async () => {
    db = await migratedPglite();
    decisions = new SqlRiskDecisionStore(db);
    controls = new SqlRiskControlStore(db);
  });
  afterAll(() => db.close());

  const record = (list: RecordedDecision[]) => decisions.forAccounts([...new Set(list.map((d) => d.order.accountId))], (s) => s.recordDecisions(list));

  it("loads an account's working orders: open ones, PENDING_NEW only once approved, never those being decided", async () => {
    const account = 'EXP-1';
    const counted = [
      await insertOrder(db, { accountId: account, status: 'NEW', quantity: 100 }),
      await insertOrder(db, {
        accountId: account,
        status: 'PARTIALLY_FILLED',
        quantity: 100,
        leavesQuantity: 40,
        symbol: 'MSFT',
        side: 'SELL',
        limitPrice: '50.5',
      }),
      await insertOrder(db, { accountId: account, status: 'PENDING_CANCEL', limitPrice: null }),
    ];
    await insertOrder(db, { accountId: account, status: 'FILLED', leavesQuantity: 0 });
    await insertOrder(db, { accountId: account, status: 'CANCELED', leavesQuantity: 0 });
    await insertOrder(db, { accountId: 'EXP-OTHER', status: 'NEW' });
    const undecided = await insertOrder(db, { accountId: account, status: 'PENDING_NEW' });
    const approvedPending = riskOrder(account);
    const rejectedPending = riskOrder(account);
    counted.push(await insertOrder(db, { accountId: account, status: 'PENDING_NEW', orderId: approvedPending.orderId }));
    await insertOrder(db, { accountId: account, status: 'PENDING_NEW', orderId: rejectedPending.orderId });
    await record([approved(approvedPending), rejected(rejectedPending)]);
    const beingDecided = await insertOrder(db, { accountId: account, status: 'NEW' });

    const exposure = await decisions.forAccounts([account], (s) =>
      s.exposure(
        [{ accountId: account, holdings: true, duplicatesSince: null, throttleSince: null }],
        [beingDecided, undecided].map((orderId) => riskOrder(account, { orderId })),
      ),
    );
    const working = exposure.get(account)!.workingOrders;
    expect(working.map((w) => w.orderId).sort()).toEqual([...counted].sort());
    expect(working.find((w) => w.symbol === 'MSFT')).toEqual({
      orderId: counted[1],
      symbol: 'MSFT',
      side: 'SELL',
      leavesQuantity: 40,
      limitPrice: parsePrice('50.5'),
    });
    expect(working.find((w) => w.orderId === counted[2])?.limitPrice).toBeNull();

    const without = await decisions.forAccounts([account], (s) =>
      s.exposure([{ accountId: account, holdings: false, duplicatesSince: null, throttleSince: null }], []),
    );
    expect(without.get(account)).toEqual({ workingOrders: [], positions: new Map(), recentOrders: [], approvalsInWindow: 0 });
  });

  it('loads non-flat positions of the account only', async () => {
    await setPosition(db, 'POS-1', 'AAPL', -300, '-30000.5');
    await setPosition(db, 'POS-1', 'MSFT', 0, '0');
    await setPosition(db, 'POS-2', 'AAPL', 50, '5000');
    const exposure = await decisions.forAccounts(['POS-1'], (s) =>
      s.exposure([{ accountId: 'POS-1', holdings: true, duplicatesSince: null, throttleSince: null }], []),
    );
    expect(exposure.get('POS-1')!.positions).toEqual(new Map([['AAPL', { quantity: -300, costBasis: parseDecimal('-30000.5') as Money }]]));
  });

  it('loads approvals with the same terms decided after a time as possible duplicates, without rejections or the orders being decided', async () => {
    const [a, b] = ['REC-1', 'REC-2'];
    const old = riskOrder(a, { createdAt: at(-5000) });
    const twin = riskOrder(a, { createdAt: at(-100), limitPrice: null, orderType: 'MARKET' });
    const otherTerms = riskOrder(a, { quantity: 101, limitPrice: null, orderType: 'MARKET' });
    const refused = riskOrder(a, { limitPrice: null, orderType: 'MARKET' });
    const otherAccount = riskOrder(b, { limitPrice: null, orderType: 'MARKET' });
    await record([
      approved(old, at(-4000)),
      approved(twin, at(-50)),
      approved(otherTerms, at(-10)),
      rejected(refused, at(-10)),
      approved(otherAccount, at(-10)),
    ]);
    const deciding = [
      riskOrder(a, { limitPrice: null, orderType: 'MARKET' }),
      riskOrder(a, { limitPrice: null, orderType: 'MARKET' }),
      riskOrder(b, { limitPrice: null, orderType: 'MARKET' }),
    ];
    const exposure = await decisions.forAccounts([a, b], (s) =>
      s.exposure(
        [
          { accountId: a, holdings: false, duplicatesSince: at(-1000), throttleSince: null },
          { accountId: b, holdings: false, duplicatesSince: null, throttleSince: null },
        ],
        deciding,
      ),
    );
    expect(exposure.get(a)!.recentOrders).toEqual([
      { orderId: twin.orderId, symbol: 'AAPL', side: 'BUY', quantity: 100, limitPrice: null, createdAt: at(-100) },
    ]);
    expect(exposure.get(b)!.recentOrders).toEqual([]);
  });

  it('counts approvals decided in the throttle window, which slides: 999 ms old is in, 1,000 ms is out', async () => {
    const account = 'THR-1';
    const orders = [-1000, -999, -500, 0].map((ms) => riskOrder(account, { createdAt: at(ms) }));
    await record([...orders.map((o, i) => approved(o, at([-1000, -999, -500, 0][i]!))), rejected(riskOrder(account), at(0))]);
    const count = async (deciding: RiskOrder[]) =>
      (
        await decisions.forAccounts([account], (s) =>
          s.exposure([{ accountId: account, holdings: false, duplicatesSince: null, throttleSince: at(-1000) }], deciding),
        )
      ).get(account)!.approvalsInWindow;
    expect(await count([])).toBe(3);
    expect(await count([orders[3]!])).toBe(2);
  });

  it('keeps an approval once recorded, and lets a rejection become an approval', async () => {
    const first = riskOrder('IDEM-1');
    const second = riskOrder('IDEM-1');
    await record([approved(first), rejected(second)]);
    await record([rejected(first, at(5)), approved(second, at(5))]);
    const rows = await db.query<{ order_id: string; approved: boolean; code: string | null }>(
      'SELECT order_id, approved, code FROM risk_checks WHERE account_id = $1 ORDER BY order_id',
      ['IDEM-1'],
    );
    expect(rows).toEqual([
      { order_id: first.orderId, approved: true, code: null },
      { order_id: second.orderId, approved: true, code: null },
    ]);
  });

  it("reads the accounts' overrides and the kill switches that concern them", async () => {
    const change = { actor: 'officer-1', at: T0 };
    await controls.setLimits('CTL-1', { maxOrderQuantity: 5, creditLimit: null }, change);
    await controls.engage({ scope: 'ACCOUNT', accountId: 'CTL-2' }, 'breach', change);
    await controls.engage({ scope: 'ACCOUNT', accountId: 'CTL-OTHER' }, 'other', change);
    const read = await decisions.forAccounts(['CTL-1', 'CTL-2'], (s) => s.controls(['CTL-1', 'CTL-2']));
    expect(read.overrides).toEqual(new Map([['CTL-1', { maxOrderQuantity: 5, creditLimit: null }]]));
    expect(read.killSwitches).toEqual([{ target: { scope: 'ACCOUNT', accountId: 'CTL-2' }, reason: 'breach', engagedBy: 'officer-1', engagedAt: T0 }]);
    await controls.engage({ scope: 'GLOBAL' }, 'halt', change);
    const global = await decisions.forAccounts(['CTL-1'], (s) => s.controls(['CTL-1']));
    expect(global.killSwitches.map((k) => k.target)).toEqual([{ scope: 'GLOBAL' }]);
    await controls.release({ scope: 'GLOBAL' }, null, change);
  });

  it('sets, reads and clears limits, auditing who changed what from what', async () => {
    const by = (actor: string, ms: number) => ({ actor, at: at(ms) });
    await controls.setLimits('AUD-1', { maxOrderQuantity: 10 }, by('alice', 1));
    const stored = await controls.setLimits(
      'AUD-1',
      { maxOrderNotional: parseDecimal('5000.25') as Money, restrictedSymbols: new Set(['TSLA']) },
      by('bob', 2),
    );
    expect(await controls.limits('AUD-1')).toEqual(stored);
    expect(stored).toEqual({
      accountId: 'AUD-1',
      overrides: { maxOrderNotional: parseDecimal('5000.25'), restrictedSymbols: new Set(['TSLA']) },
      updatedBy: 'bob',
      updatedAt: at(2),
    });
    expect((await controls.allLimits()).map((l) => l.accountId)).toContain('AUD-1');
    expect(await controls.clearLimits('AUD-1', by('carol', 3))).toBe(true);
    expect(await controls.clearLimits('AUD-1', by('carol', 4))).toBe(false);
    expect(await controls.limits('AUD-1')).toBeNull();

    const trail = (await controls.auditTrail(50)).filter((e) => e.target.scope === 'ACCOUNT' && e.target.accountId === 'AUD-1');
    expect(trail.map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['LIMITS_CLEARED', 'carol', { before: { maxOrderNotional: '5000.25', restrictedSymbols: ['TSLA'] }, after: null }],
      ['LIMITS_SET', 'bob', { before: { maxOrderQuantity: 10 }, after: { maxOrderNotional: '5000.25', restrictedSymbols: ['TSLA'] } }],
      ['LIMITS_SET', 'alice', { before: null, after: { maxOrderQuantity: 10 } }],
    ]);
    expect(trail[0]!.occurredAt).toEqual(at(3));
  });

  it('engages a switch once, releases it once, and audits both', async () => {
    const target = { scope: 'ACCOUNT', accountId: 'KS-1' } as const;
    const first = await controls.engage(target, 'fat finger', { actor: 'alice', at: at(1) });
    const second = await controls.engage(target, 'again', { actor: 'bob', at: at(2) });
    expect(first).toEqual({ engagedNow: true, killSwitch: { target, reason: 'fat finger', engagedBy: 'alice', engagedAt: at(1) } });
    expect(second).toEqual({ engagedNow: false, killSwitch: first.killSwitch });
    expect(await controls.killSwitches()).toContainEqual(first.killSwitch);
    expect(await controls.release(target, 'fixed', { actor: 'carol', at: at(3) })).toEqual(first.killSwitch);
    expect(await controls.release(target, null, { actor: 'carol', at: at(4) })).toBeNull();
    const trail = (await controls.auditTrail(50)).filter((e) => e.target.scope === 'ACCOUNT' && e.target.accountId === 'KS-1');
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['KILL_SWITCH_RELEASED', 'carol'],
      ['KILL_SWITCH_ENGAGED', 'alice'],
    ]);
    expect(trail[0]!.detail).toEqual({ reason: 'fixed', released: { reason: 'fat finger', engagedBy: 'alice', engagedAt: at(1).toISOString() } });
  });

  it('refuses to edit or remove the audit trail', async () => {
    await expect(db.query("UPDATE risk_audit SET actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM risk_audit')).rejects.toThrow(/append-only/);
  });
});
