import type { ChildCancelRequested, ChildOrderRouted } from '../../domain/events/messages.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { ChildSendingSession, OrderStore } from '../../ports/order-store.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type OrderTracing, type TraceSpan } from '../../ports/order-tracing.js';
import type { VenueGateway } from '../../ports/venue-gateway.js';
import { endsWith } from '../order-trace-steps.js';
import type { Logger } from '../../ports/logger.js';
import type { ChildOrderDirectory } from './child-order-directory.js';

/** Inbox name for cancel requests: each is sent to its venue once, however often it is delivered. */
const CANCELS_CONSUMER = 'execution-adapter.cancels';

export class VenueUnavailableError extends Error {
  constructor(readonly venues: readonly string[]) {
    super(`venue session not logged on: ${venues.join(', ')}`);
    this.name = 'VenueUnavailableError';
  }
}

/**
 * execution-adapter: sends each routed child order to its venue once, and each cancel oms-core
 * asks for. A child is marked SENT (a cancel claimed) in the same step that hands it to the FIX
 * session's store, so a redelivered message never sends a second NewOrderSingle or cancel. While
 * a venue is down the whole batch waits (the bus redelivers it).
 *
 * A batch whose transaction does not commit (a later send in it failed, or the commit did) is
 * delivered again, and its marks are gone with the rollback; what this process had already handed
 * to a session is in that session's store, which delivers it, so it is marked again but not sent
 * twice: the venue would see the same ClOrdID twice. A process that dies in that window loses this
 * memory (the messages stay in the session's store).
 */
export class RoutedOrderConsumer {
  /** Keys (sendKey) of messages handed to their session in a batch that has not committed yet. */
  private readonly handedOver = new Set<string>();

  constructor(
    private readonly deps: {
      store: OrderStore<ChildSendingSession>;
      gateway: VenueGateway;
      directory: ChildOrderDirectory;
      logger: Logger;
      tracing?: OrderTracing;
    },
  ) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const work = batch.filter(
      (m): m is DeliveredMessage<ChildOrderRouted | ChildCancelRequested> => m.payload.type === 'ChildOrderRouted' || m.payload.type === 'ChildCancelRequested',
    );
    if (work.length === 0) return;
    const { store, gateway, directory, logger } = this.deps;
    const down = [...new Set(work.map((m) => m.payload.venue))].filter((venue) => !gateway.isReady(venue));
    if (down.length > 0) throw new VenueUnavailableError(down);
    const routed = work.flatMap((m) => (m.payload.type === 'ChildOrderRouted' ? [m.payload] : []));
    const cancels = work.filter((m) => m.payload.type === 'ChildCancelRequested');
    await store.transaction(async (session) => {
      const [toSend, freshCancels] = await Promise.all([
        session.markChildrenSent(routed.map((c) => c.childOrderId)),
        session.claimEvents(
          CANCELS_CONSUMER,
          cancels.map((m) => m.eventId),
        ),
      ]);
      // In message order: a child's cancel always follows its NewOrderSingle.
      for (const { eventId, payload } of work) {
        const isNewOrder = payload.type === 'ChildOrderRouted';
        const key = sendKey(eventId, payload);
        if (!(isNewOrder ? toSend.has(payload.childOrderId) : freshCancels.has(eventId))) {
          this.handedOver.delete(key); // marked by a commit this process did not hear back from
          continue;
        }
        if (isNewOrder)
          directory.remember(payload.childOrderId, {
            parentOrderId: payload.parentOrderId,
            accountId: payload.accountId,
            symbol: payload.symbol,
            side: payload.side,
          });
        const context = { orderId: payload.parentOrderId, childOrderId: payload.childOrderId, venue: payload.venue };
        const messageName = isNewOrder ? 'NewOrderSingle' : 'OrderCancelRequest';
        if (this.handedOver.has(key)) {
          logger.info(context, `${messageName} handed to its session by an earlier delivery that did not commit: marked, not sent again`);
          continue;
        }
        await endsWith(this.sendSpan(payload), isNewOrder ? gateway.sendNewOrder(payload) : gateway.sendCancel(payload));
        this.handedOver.add(key);
        logger.debug(context, `${messageName} sent`);
      }
    });
    for (const { eventId, payload } of work) this.handedOver.delete(sendKey(eventId, payload));
  };

  /** The message on its FIX session, as a step of the parent's trace: until it is in the session's store. */
  private sendSpan(message: ChildOrderRouted | ChildCancelRequested): TraceSpan | undefined {
    const { tracing } = this.deps;
    if (!tracing?.enabled) return undefined;
    const common = { [A.venue]: message.venue, [A.symbol]: message.symbol, [A.quantity]: message.quantity };
    return message.type === 'ChildOrderRouted'
      ? tracing.start(message.parentOrderId, ORDER_SPANS.newOrderSingle, { ...common, [A.clOrdId]: message.childOrderId, [A.accountId]: message.accountId })
      : tracing.start(message.parentOrderId, ORDER_SPANS.cancelRequest, { ...common, [A.clOrdId]: message.cancelClOrdId });
  }
}

/** A NewOrderSingle by its ClOrdID (one per child, however often routed), a cancel by its event. */
function sendKey(eventId: string, message: ChildOrderRouted | ChildCancelRequested): string {
  return message.type === 'ChildOrderRouted' ? `new:${message.childOrderId}` : `cancel:${eventId}`;
}
