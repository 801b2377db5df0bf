import { deny, type RiskDecision } from './decision.js';
import type { AccountExposure, RiskOrder } from './exposure.js';
import type { RiskLimits } from './limits.js';

/**
 * Duplicate detection: an approved order of the same account with the same symbol, side,
 * quantity and price that arrived less than the window apart (either way: orders of one batch
 * may be decided out of arrival order). Arrival times, not decision times: a backlog must not
 * make orders sent minutes apart look like duplicates.
 */
export function checkDuplicate(order: RiskOrder, limits: RiskLimits, exposure: AccountExposure): RiskDecision | null {
  const window = limits.duplicateWindowMs;
  if (window <= 0) return null;
  const arrived = order.createdAt.getTime();
  const twin = exposure.recentOrders.find(
    (r) =>
      r.orderId !== order.orderId &&
      r.symbol === order.symbol &&
      r.side === order.side &&
      r.quantity === order.quantity &&
      r.limitPrice === order.limitPrice &&
      Math.abs(r.createdAt.getTime() - arrived) < window,
  );
  if (!twin) return null;
  const apart = Math.abs(twin.createdAt.getTime() - arrived);
  return deny('DUPLICATE_ORDER', `same symbol, side, quantity and price as order ${twin.orderId}, ${apart} ms apart (window ${window} ms)`);
}

/**
 * Message rate throttle: at most N approvals in any sliding second, counted at decision time
 * (the snapshot counts those of the last second), so the flow released to the venues never
 * exceeds N per second whatever the backlog.
 */
export function checkThrottle(limits: RiskLimits, exposure: AccountExposure): RiskDecision | null {
  const max = limits.maxOrdersPerSecond;
  if (max === null || exposure.approvalsInWindow < max) return null;
  return deny('THROTTLED', `${exposure.approvalsInWindow} orders approved in the last second; the limit is ${max} per second`);
}
