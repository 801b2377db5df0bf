import type { Side } from '../../../domain/order/enums.js';
import type { SqlExecutor } from '../../../ports/sql.js';
import type { ChildOrderOwner, ChildOwnerLookup, LiveChild } from '../../../ports/child-orders.js';

/** Finds the parent order (and its account) of child orders, for reports that arrive after a restart. */
export function sqlChildOwnerLookup(db: SqlExecutor): ChildOwnerLookup {
  return async (childOrderIds) => {
    const rows = await db.query<{ child_order_id: string; parent_order_id: string; account_id: string; symbol: string; side: string }>(
      `SELECT c.child_order_id, c.parent_order_id, o.account_id, c.symbol, c.side
       FROM child_orders c JOIN orders o ON o.order_id = c.parent_order_id
       WHERE c.child_order_id = ANY($1::text[])`,
      [childOrderIds],
    );
    return new Map<string, ChildOrderOwner>(
      rows.map((r) => [r.child_order_id, { parentOrderId: r.parent_order_id, accountId: r.account_id, symbol: r.symbol, side: r.side as Side }]),
    );
  };
}

/** Child orders sent to `venue` that have not reached a final status. */
export function sqlLiveChildren(db: SqlExecutor): (venue: string) => Promise<LiveChild[]> {
  return async (venue) => {
    const rows = await db.query<{ child_order_id: string; symbol: string; side: string }>(
      `SELECT child_order_id, symbol, side FROM child_orders WHERE venue = $1 AND status IN ('SENT', 'NEW', 'PARTIALLY_FILLED') ORDER BY created_at`,
      [venue],
    );
    return rows.map((r) => ({ childOrderId: r.child_order_id, symbol: r.symbol, side: r.side as Side }));
  };
}
