import type { OrderStatus } from '../../domain/order/enums.js';
import { decodeMessage, fix44, MsgType, Tag, type MessageStore } from '../../fix/index.js';
import { trackOrder, type TrackedOrder } from './execution-reports.js';

/** What a session's sent messages say it told its client: its ClOrdIDs, and each order as last reported. */
export interface ReplayedSession {
  readonly orders: Map<string, string>;
  readonly tracked: Map<string, TrackedOrder>;
}

/**
 * Rebuilds a gateway session's knowledge after a restart from the messages its FIX store holds
 * (everything sent since the last sequence reset): the store is written before the wire, so it is
 * exactly what the client may have been told.
 */
export function replaySentMessages(store: Pick<MessageStore, 'nextSenderSeqNum' | 'sentBetween'>): ReplayedSession {
  const orders = new Map<string, string>();
  const tracked = new Map<string, TrackedOrder>();
  for (const { message: bytes } of store.sentBetween(1, store.nextSenderSeqNum() - 1)) {
    const message = decodeMessage(bytes);
    const orderId = message.get(Tag.OrderID);
    const clOrdId = message.get(Tag.ClOrdID);
    if (!orderId || orderId === 'NONE' || !clOrdId) continue;
    const origClOrdId = message.get(Tag.OrigClOrdID);
    if (message.msgType === MsgType.OrderCancelReject) {
      const order = tracked.get(orderId);
      if (order) order.pending = undefined;
      orders.set(clOrdId, orderId);
      continue;
    }
    if (message.msgType !== MsgType.ExecutionReport) continue;
    orders.set(clOrdId, orderId);
    if (origClOrdId) orders.set(origClOrdId, orderId);
    const execType = fix44.ExecType.decode(message.get(Tag.ExecType));
    if (execType === 'ORDER_STATUS') continue;
    const order = tracked.get(orderId) ?? trackOrder(orderId, clOrdId);
    tracked.set(orderId, order);
    if ((execType === 'PENDING_CANCEL' || execType === 'PENDING_REPLACE') && origClOrdId) {
      order.pending = { kind: execType === 'PENDING_CANCEL' ? 'CANCEL' : 'REPLACE', clOrdId, origClOrdId, acknowledged: true };
    } else if (execType === 'REPLACED') {
      order.clOrdId = clOrdId;
      order.pending = undefined;
    } else if (execType === 'CANCELED') {
      order.pending = undefined;
    }
    const status: OrderStatus | undefined = fix44.OrdStatus.decode(message.get(Tag.OrdStatus));
    const filled = Number(message.get(Tag.CumQty) ?? '0');
    order.reportedStatus = status ?? order.reportedStatus;
    order.reportedFilled = filled;
    order.reportedAvgPrice = filled > 0 ? (message.get(Tag.AvgPx) ?? null) : null;
  }
  return { orders, tracked };
}
