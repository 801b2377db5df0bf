import type { ExecutionReported } from '../../domain/events/messages.js';
import { parsePrice } from '../../domain/money/price.js';
import { reportsShares } from '../../domain/order/child-order.js';
import { applyFillToPosition, emptyPosition, type Position } from '../../domain/positions/position.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import { positionKey, type OrderStore, type PositionSession } from '../../ports/order-store.js';

export const POSITIONS_CONSUMER = 'risk-service.positions';

/**
 * Keeps positions per account and symbol from executions.fills. Each execution's event id is
 * derived from (venue, ExecID), so the inbox claim applies a fill once however often it arrives.
 */
export class PositionConsumer {
  constructor(private readonly store: OrderStore<PositionSession>) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const fills = batch.filter((m): m is DeliveredMessage<ExecutionReported> => m.payload.type === 'ExecutionReported' && reportsShares(m.payload));
    // The inbox claims an id once per statement, so a fill delivered twice in one batch is kept once here.
    const trades = [...new Map(fills.map((m) => [m.eventId, m])).values()];
    if (trades.length === 0) return;
    await this.store.transaction(async (session) => {
      // Sent together: a redelivered fill's position is locked too, which changes nothing.
      const [fresh, positions] = await Promise.all([
        session.claimEvents(
          POSITIONS_CONSUMER,
          trades.map((m) => m.eventId),
        ),
        session.lockPositions(trades.map(({ payload: { accountId, symbol } }) => ({ accountId, symbol }))),
      ]);
      const todo = trades.filter((m) => fresh.has(m.eventId)).map((m) => m.payload);
      if (todo.length === 0) return;
      const changed = new Map<string, Position>();
      for (const trade of todo) {
        const price = trade.lastPx === null ? undefined : parsePrice(trade.lastPx);
        if (price === undefined) continue;
        const key = positionKey(trade.accountId, trade.symbol);
        const current = changed.get(key) ?? positions.get(key) ?? emptyPosition(trade.accountId, trade.symbol);
        changed.set(key, applyFillToPosition(current, trade.side, trade.lastQty, price));
      }
      await session.savePositions([...changed.values()]);
    });
  };
}
