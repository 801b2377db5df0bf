import type { ChildOrderRouted } from '../../domain/events/messages.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { OrderStore } from '../../ports/order-store.js';
import type { VenueGateway } from '../../ports/venue-gateway.js';
import type { Logger } from '../../adapters/observability/logger.js';
import type { ChildOrderDirectory } from './child-order-directory.js';

export class VenueUnavailableError extends Error {
  constructor(readonly venues: readonly string[]) {
    super(`venue session not logged on: ${venues.join(', ')}`);
    this.name = 'VenueUnavailableError';
  }
}

/**
 * execution-adapter: sends each routed child order to its venue once. A child is marked SENT in
 * the same step that hands it to the FIX session's store, so a redelivered message never sends a
 * second NewOrderSingle. While a venue is down the whole batch waits (the bus redelivers it).
 */
export class RoutedOrderConsumer {
  constructor(
    private readonly deps: { store: OrderStore; gateway: VenueGateway; directory: ChildOrderDirectory; logger: Logger },
  ) {}

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const routed = batch.filter((m): m is DeliveredMessage<ChildOrderRouted> => m.payload.type === 'ChildOrderRouted').map((m) => m.payload);
    if (routed.length === 0) return;
    const { store, gateway, directory, logger } = this.deps;
    const down = [...new Set(routed.map((c) => c.venue))].filter((venue) => !gateway.isReady(venue));
    if (down.length > 0) throw new VenueUnavailableError(down);
    await store.transaction(async (session) => {
      const toSend = await session.markChildrenSent(routed.map((c) => c.childOrderId));
      for (const child of routed) {
        if (!toSend.has(child.childOrderId)) continue;
        directory.remember(child.childOrderId, { parentOrderId: child.parentOrderId, accountId: child.accountId, symbol: child.symbol, side: child.side });
        await gateway.sendNewOrder(child);
        logger.debug({ orderId: child.parentOrderId, childOrderId: child.childOrderId, venue: child.venue }, 'NewOrderSingle sent');
      }
    });
  };
}
