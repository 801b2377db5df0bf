import { TOPICS } from '../../../domain/events/topics.js';
import type { KillSwitchScope } from '../../../domain/risk/kill-switch.js';
import type { IdGenerator } from '../../../ports/clock.js';
import type { OutgoingMessage } from '../../../ports/event-bus.js';
import type { SqlClient } from '../../../ports/sql.js';
import type { WorkingOrderCanceller } from '../../../ports/working-order-canceller.js';
import { appendOutbox } from '../../outbox/index.js';

const WORKING = ['PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_REPLACE'];

/**
 * The kill switch's cancel-all, and the session close's expiry of DAY orders: one
 * OrderCancelRequested per working order in scope, committed in one transaction, so oms-core cancels each through the normal flow (every live child at its
 * venue). PENDING_NEW orders are included: their cancel follows their OrderReceived. Orders
 * already PENDING_CANCEL are on their way out and are left alone.
 */
export class SqlWorkingOrders implements WorkingOrderCanceller {
  constructor(
    private readonly db: SqlClient,
    private readonly newId: IdGenerator,
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  async cancelAll(scope: KillSwitchScope): Promise<number> {
    const where = scope.scope === 'GLOBAL' ? { sql: '', params: [] } : { sql: 'AND account_id = $2', params: [scope.accountId] };
    return this.request(where, { requestedBy: 'kill-switch', source: 'risk-service' });
  }

  /** The session close: every working DAY order is taken out of the market and ends EXPIRED. */
  async expireDayOrders(): Promise<number> {
    return this.request({ sql: "AND time_in_force = 'DAY'", params: [] }, { requestedBy: 'session-close', source: 'oms-core', expire: true });
  }

  private async request(where: { sql: string; params: unknown[] }, request: { requestedBy: string; source: string; expire?: boolean }): Promise<number> {
    const count = await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ order_id: string }>(`SELECT order_id FROM orders WHERE status = ANY($1::text[]) ${where.sql}`, [WORKING, ...where.params]);
      const messages: OutgoingMessage[] = rows.map((r) => ({
        topic: TOPICS.ordersInbound,
        key: r.order_id,
        eventId: this.newId(),
        payload: { type: 'OrderCancelRequested', orderId: r.order_id, ...request },
      }));
      await appendOutbox(tx, messages);
      return messages.length;
    });
    if (count > 0) this.afterCommit();
    return count;
  }
}
