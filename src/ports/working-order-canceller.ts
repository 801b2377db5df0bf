import type { KillSwitchScope } from '../domain/risk/kill-switch.js';

/**
 * Cancels every working order in a kill switch's scope (all accounts, or one) on every venue,
 * through the order lifecycle's own cancel flow (PENDING_CANCEL, OrderCancelRequest per live
 * child). Called by the kill switch once the switch is committed, so no new order gets past risk
 * while the cancels go out. Idempotent: a second call finds nothing left to cancel.
 */
export interface WorkingOrderCanceller {
  /** Resolves with the number of orders asked to cancel. */
  cancelAll(scope: KillSwitchScope): Promise<number>;
}
