import { isTerminal } from '../../domain/order/enums.js';
import type { Order } from '../../domain/order/order.js';
import { applyFillToPosition, emptyPosition, type Position } from '../../domain/positions/position.js';
import {
  exposureNeeds,
  THROTTLE_WINDOW_MS,
  type AccountExposure,
  type Holding,
  type RecentOrder,
  type RiskOrder,
  type WorkingOrder,
} from '../../domain/risk/exposure.js';
import type { KillSwitch } from '../../domain/risk/kill-switch.js';
import { effectiveLimits, type RiskLimitOverrides, type RiskLimits } from '../../domain/risk/limits.js';
import { checkPreTrade, type RiskDecision } from '../../domain/risk/pre-trade.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { FillRecord } from '../../ports/order-store.js';
import type { RecordedDecision } from '../../ports/risk-store.js';
import type { RecentApproval } from '../../ports/working-state.js';
import type { RiskPolicy } from '../../domain/risk/policy.js';

/** The risk officer's controls as the pre-trade check needs them. */
export interface RiskControlSnapshot {
  readonly overrides: ReadonlyMap<string, RiskLimitOverrides>;
  readonly killSwitches: readonly KillSwitch[];
}

interface Approval {
  readonly recent: RecentOrder;
  readonly decidedAt: number;
}

/** One account's state as risk-service holds it in memory. */
class AccountBook {
  readonly working = new Map<string, WorkingOrder>();
  readonly positions = new Map<string, Position>();
  /** Approvals in decision order, kept as long as a throttle or duplicate window may need them. */
  approvals: Approval[] = [];

  exposure(limits: RiskLimits, order: RiskOrder, now: Date): AccountExposure {
    const needs = exposureNeeds(limits, [order], now);
    const duplicatesSince = needs.duplicatesSince?.getTime();
    const throttleSince = needs.throttleSince?.getTime();
    let approvalsInWindow = 0;
    const recentOrders: RecentOrder[] = [];
    // Only a limit with a window reads the approvals (a second's worth at least, on the hot path).
    if (duplicatesSince !== undefined || throttleSince !== undefined) {
      for (const approval of this.approvals) {
        if (throttleSince !== undefined && approval.decidedAt > throttleSince) approvalsInWindow++;
        if (duplicatesSince !== undefined && approval.decidedAt > duplicatesSince) recentOrders.push(approval.recent);
      }
    }
    return {
      workingOrders: needs.holdings ? [...this.working.values()] : [],
      positions: needs.holdings ? holdings(this.positions) : new Map(),
      recentOrders,
      approvalsInWindow,
    };
  }

  /** Drops approvals no window can reach any more. */
  prune(now: number, horizonMs: number): void {
    const keepAfter = now - horizonMs;
    let first = 0;
    while (first < this.approvals.length && this.approvals[first]!.decidedAt <= keepAfter) first++;
    if (first > 0) this.approvals = this.approvals.slice(first);
  }
}

function holdings(positions: ReadonlyMap<string, Position>): Map<string, Holding> {
  const open = new Map<string, Holding>();
  for (const [symbol, position] of positions) if (position.quantity !== 0) open.set(symbol, position);
  return open;
}

const workingOrderOf = (order: Pick<Order, 'orderId' | 'symbol' | 'side' | 'leavesQuantity' | 'limitPrice'>): WorkingOrder => ({
  orderId: order.orderId,
  symbol: order.symbol,
  side: order.side,
  leavesQuantity: order.leavesQuantity,
  limitPrice: order.limitPrice,
});

/**
 * risk-service's working state in memory, with one writer: per account, the orders it has
 * working, its positions and its recent approvals (throttle and duplicate windows), plus the
 * limits and kill switches. Pre-trade decisions of a batch run in order against it, each approval
 * adding to what the next one sees, so two orders never pass on the same headroom. The same pure
 * checks as the database-backed RiskService decide.
 */
export class RiskBook {
  private readonly accounts = new Map<string, AccountBook>();
  private controls: RiskControlSnapshot = { overrides: new Map(), killSwitches: [] };

  constructor(private readonly deps: { policy: RiskPolicy; marketData: Pick<MarketDataView, 'referencePrice'> }) {}

  /** The longest time an approval matters: the throttle's second or the widest duplicate window. */
  get approvalHorizonMs(): number {
    let widest = Math.max(THROTTLE_WINDOW_MS, this.deps.policy.defaults.duplicateWindowMs);
    for (const overrides of this.controls.overrides.values()) widest = Math.max(widest, overrides.duplicateWindowMs ?? 0);
    return widest;
  }

  setControls(controls: RiskControlSnapshot): void {
    this.controls = controls;
  }

  /** State read back at start: approved working orders, positions, recent approvals (in decision order). */
  load(state: { working: readonly Order[]; positions: readonly Position[]; approvals: readonly RecentApproval[] }): void {
    for (const order of state.working) if (order.status !== 'PENDING_NEW') this.account(order.accountId).working.set(order.orderId, workingOrderOf(order));
    for (const position of state.positions) this.account(position.accountId).positions.set(position.symbol, position);
    for (const { accountId, order, decidedAt } of state.approvals) this.account(accountId).approvals.push({ recent: order, decidedAt: decidedAt.getTime() });
  }

  /** Decides the orders in order; returns each decision and the records to store. */
  decide(orders: readonly RiskOrder[], now: Date): { decisions: Map<string, RiskDecision>; records: RecordedDecision[] } {
    const { policy, marketData } = this.deps;
    const referencePrice = (symbol: string) => marketData.referencePrice(symbol);
    const decisions = new Map<string, RiskDecision>();
    const records: RecordedDecision[] = [];
    // Pruned once per account and batch: the batch is decided at one instant.
    const horizon = this.approvalHorizonMs;
    for (const accountId of new Set(orders.map((o) => o.accountId))) this.account(accountId).prune(now.getTime(), horizon);
    for (const order of orders) {
      const book = this.account(order.accountId);
      const limits = effectiveLimits(policy.defaults, this.controls.overrides.get(order.accountId));
      const decision = checkPreTrade(order, limits, {
        knownAccounts: policy.knownAccounts,
        killSwitches: this.controls.killSwitches,
        referencePrice,
        exposure: book.exposure(limits, order, now),
      });
      if (decision.approved) {
        book.working.set(order.orderId, workingOrderOf({ ...order, leavesQuantity: order.quantity }));
        book.approvals.push({ recent: recentOf(order), decidedAt: now.getTime() });
      }
      decisions.set(order.orderId, decision);
      records.push({ order, decision, decidedAt: now });
    }
    return { decisions, records };
  }

  /** Keeps the working set in step with the order: what it has left, and gone once final. */
  onOrderChanged(order: Order): void {
    const book = this.accounts.get(order.accountId);
    if (!book?.working.has(order.orderId)) return;
    if (isTerminal(order.status) || order.leavesQuantity === 0) book.working.delete(order.orderId);
    else book.working.set(order.orderId, workingOrderOf(order));
  }

  /** Applies a fill to its position; returns the position after it. */
  onFill(fill: FillRecord): Position {
    const book = this.account(fill.accountId);
    const current = book.positions.get(fill.symbol) ?? emptyPosition(fill.accountId, fill.symbol);
    const next = applyFillToPosition(current, fill.side, fill.quantity, fill.price);
    book.positions.set(fill.symbol, next);
    return next;
  }

  private account(accountId: string): AccountBook {
    let book = this.accounts.get(accountId);
    if (!book) {
      book = new AccountBook();
      this.accounts.set(accountId, book);
    }
    return book;
  }
}

function recentOf(order: RiskOrder): RecentOrder {
  return { orderId: order.orderId, symbol: order.symbol, side: order.side, quantity: order.quantity, limitPrice: order.limitPrice, createdAt: order.createdAt };
}
