import { gatewaySessionName, type FixOrderGateway } from '../../adapters/fix-gateway/fix-order-gateway.js';
import { acquireOwnership, type Ownership } from '../../adapters/sql/postgres/ownership.js';
import type { OrderSnapshot, OrderStatusChanged } from '../../domain/events/messages.js';
import { TOPICS } from '../../domain/events/topics.js';
import { parseDecimal } from '../../domain/money/price.js';
import type { MessageStore } from '../../fix/index.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { OrderAmendmentService } from '../../services/oms-ingest/order-amendment-service.js';
import type { OrderIngestService } from '../../services/oms-ingest/order-ingest-service.js';
import { openPostgresFixStore } from './fix-stores.js';
import { clientFixGateway } from '../client-api.js';
import type { ServiceRuntime } from './service-runtime.js';

export interface DistributedGatewayDeps {
  readonly ingest: OrderIngestService;
  readonly amendments: OrderAmendmentService;
  readonly orderStatus: (orderId: string) => Promise<OrderSnapshot | null>;
}

/**
 * The clients' FIX gateway in distributed mode, in the oms-ingest process that owns it: a FIX
 * session has one sequence of numbers, so one process serves all of them (a PostgreSQL advisory
 * lock; other oms-ingest processes with FIX_GATEWAY_PORT wait as standbys and take over when the
 * owner dies). Session stores live in PostgreSQL, so the next owner resumes every session where
 * the last left off. Committed order states come from orders.status under the gateway's own
 * consumer group, whose committed offset makes a new owner report what changed while none was.
 * Returns at once: a standby serves the rest of the API meanwhile.
 */
export function startFixGatewayWhenOwner(runtime: ServiceRuntime, deps: DistributedGatewayDeps): void {
  const { config, logger } = runtime;
  const waiting = new AbortController();
  let ownership: Ownership | undefined;
  let gateway: FixOrderGateway | undefined;
  let standbyReason = 'asking PostgreSQL who owns the FIX gateway';
  runtime.add('FIX gateway ownership', {
    stop: async () => {
      waiting.abort();
      await ownership?.release();
    },
  });
  runtime.health.push({
    name: 'FIX gateway',
    gatesReadiness: false,
    check: async () => (gateway ? gateway.healthIndicator().check() : { up: true, detail: `standby: ${standbyReason}` }),
  });

  const become = async (): Promise<void> => {
    ownership = await acquireOwnership(
      {
        connection: config.postgres,
        role: 'oms-ingest.fix-gateway',
        onWaiting: (reason) => {
          if (reason !== standbyReason) logger.info({ reason }, 'FIX gateway on standby');
          standbyReason = reason;
        },
        // Crash-only: another process may serve the sessions from now on, so this one must not.
        onLost: (error) => runtime.abort('FIX gateway ownership lost; exiting so that one process serves its sessions', error),
      },
      waiting.signal,
    );
    const sessions = [...config.fixGateway.sessions, ...config.fixGateway.dropCopySessions];
    const stores = new Map<string, MessageStore>();
    for (const session of sessions) stores.set(gatewaySessionName(session), await openPostgresFixStore(runtime.db, `gateway:${gatewaySessionName(session)}`));
    const owned = clientFixGateway(runtime, { store: (name) => stores.get(name)!, logger, ...deps });
    // 'latest' only for the group's very first start: afterwards its committed offset holds.
    await runtime.subscribe('oms-ingest.fix-gateway', TOPICS.ordersStatus, statusFeed(owned), 'latest');
    await owned.start();
    runtime.add('FIX gateway', owned);
    gateway = owned;
    logger.info({ port: owned.port, sessions: sessions.length }, 'FIX gateway serving (this process owns it)');
  };
  become().catch((error: unknown) => {
    if (!waiting.signal.aborted) runtime.abort('FIX gateway could not start', error);
  });
}

/** orders.status to the gateway: each state with the fill that made it, if one did. */
function statusFeed(gateway: FixOrderGateway) {
  return async (batch: readonly DeliveredMessage[]): Promise<void> => {
    for (const message of batch) {
      if (message.payload.type !== 'OrderStatusChanged') continue;
      const { order, fill } = message.payload as OrderStatusChanged;
      gateway.onStatus(order, fill ? { quantity: fill.quantity, price: parseDecimal(fill.price)! } : undefined);
    }
  };
}
