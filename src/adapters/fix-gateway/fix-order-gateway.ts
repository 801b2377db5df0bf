import type { FixGatewaySession } from '../../config/fix-gateway-config.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { isTerminal } from '../../domain/order/enums.js';
import {
  FixAcceptor,
  fix44,
  type FixApplication,
  type FixLogger,
  type FixMessage,
  type FixSession,
  type LogonLimits,
  type MessageStore,
  type OutgoingFix,
} from '../../fix/index.js';
import type { HealthIndicator } from '../../ports/health.js';
import type { Metrics } from '../observability/prometheus-metrics.js';
import { ClientSession } from './client-session.js';
import { reportsFor, restatement, trackOrder, type CommittedFill, type GatewayMessage, type TrackedOrder } from './execution-reports.js';
import { OrderEntry, type OrderEntryDeps } from './order-entry.js';
import { replaySentMessages } from './session-replay.js';

export interface FixOrderGatewayOptions extends Pick<OrderEntryDeps, 'ingest' | 'amendments' | 'orderStatus'> {
  readonly port: number;
  readonly host: string;
  readonly sessions: readonly FixGatewaySession[];
  readonly dropCopySessions: readonly FixGatewaySession[];
  /**
   * Each session's FIX store (sequence numbers and sent messages, kept across restarts), by its
   * name (gatewaySessionName): a FileStore under DATA_DIR embedded, a PostgresStore distributed.
   */
  readonly store: (sessionName: string) => MessageStore;
  readonly resetAtUtc?: string;
  readonly logonLimits?: LogonLimits;
  readonly logger: FixLogger;
  readonly metrics?: Pick<Metrics, 'fixGatewayMessages' | 'fixGatewayLoggedOn'>;
  readonly now?: () => Date;
}

/** An order the gateway reports on: whose it is (a session's, or only drop copies' for orders from elsewhere). */
interface Followed {
  readonly tracked: TrackedOrder;
  owner: ClientSession | undefined;
  /** The latest order version reported: an older state (a read racing the live flow) is ignored. */
  version: number;
  /** That version's state. */
  last?: OrderSnapshot;
}

/**
 * oms-ingest's FIX door for clients: a FIX 4.4 acceptor whose order-entry sessions send orders,
 * cancels, replaces and status requests (OrderEntry), and get ExecutionReports for their orders
 * built from committed order states (onStatus, after the journal has them); drop copy sessions
 * get a copy (797=Y) of every report of their accounts. Messages to a client that is away are
 * stored and reach it by resend (PossDupFlag) when it logs on again.
 */
export class FixOrderGateway {
  private readonly acceptor: FixAcceptor;
  private readonly clients = new Map<string, ClientSession>();
  private readonly dropCopies: ClientSession[] = [];
  private readonly followed = new Map<string, Followed>();
  /**
   * Orders sent and not yet published, by account and clientOrderId: the first state claims them
   * for the client, who knows the order by its ClOrdID (the clientOrderId, unless day-scoped).
   */
  private readonly expected = new Map<string, { readonly client: ClientSession; readonly clOrdId: string }>();
  /**
   * Orders whose end was reported, most recent last (at most ENDED_KEPT): a state of one delivered
   * again (a consumer resuming from its last commit) must not report the order anew.
   */
  private readonly ended = new Set<string>();
  /** Fills committed and not yet reported, per order, oldest first. */
  private readonly fills = new Map<string, CommittedFill[]>();
  private readonly entry: OrderEntry;
  private readonly now: () => Date;

  constructor(private readonly options: FixOrderGatewayOptions) {
    this.now = options.now ?? (() => new Date());
    for (const config of options.sessions) this.addClient(new ClientSession(config, 'order-entry', options.store(gatewaySessionName(config))));
    for (const config of options.dropCopySessions)
      this.dropCopies.push(this.addClient(new ClientSession(config, 'drop-copy', options.store(gatewaySessionName(config)))));
    this.entry = new OrderEntry({
      ingest: options.ingest,
      amendments: options.amendments,
      orderStatus: options.orderStatus,
      now: this.now,
      tracked: (orderId) => this.followed.get(orderId)?.tracked,
      adopt: (client, orderId, clOrdId) => this.adopt(client, orderId, clOrdId),
      renewSeries: (client) => this.renewSeries(client),
      expect: (client, accountId, clientOrderId, clOrdId) => {
        const key = clientKey(accountId, clientOrderId);
        const claim = { client, clOrdId };
        this.expected.set(key, claim);
        return () => this.expected.get(key) === claim && this.expected.delete(key);
      },
    });
    // Before the acceptor: its sessions reset their stores at once when a daily reset passed while
    // the process was down, and what the stores held is what the clients were told.
    // Order-entry sessions first: an order's owner knows it best; drop copies add orders from elsewhere.
    for (const client of [...this.clients.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'order-entry' ? -1 : 1))) {
      this.recover(client);
      client.enterSeries(() => true);
    }
    const sessions = [...this.clients.values()].map((client) => ({
      senderCompId: client.config.gatewayCompId,
      targetCompId: client.config.clientCompId,
      store: client.store!,
      resetAtUtc: options.resetAtUtc,
    }));
    this.acceptor = new FixAcceptor(
      { port: options.port, host: options.host, sessions, logger: options.logger, now: options.now, ...options.logonLimits },
      this.application(),
    );
    for (const client of this.clients.values()) client.session = this.acceptor.session(client.config.gatewayCompId, client.config.clientCompId);
    options.metrics?.fixGatewayLoggedOn.sampleFrom(() =>
      [...this.clients.values()].map((c) => [{ session: c.config.clientCompId, kind: c.kind }, c.session?.isLoggedOn ? 1 : 0] as const),
    );
  }

  get port(): number {
    return this.acceptor.port;
  }

  /**
   * Listens, then catches up with states committed while the process was down or before the
   * reports left (a kill -9 between the journal and the FIX store): each order still open in what a
   * session was told is read again, and what changed is reported (stored for a client that is away).
   */
  async start(): Promise<void> {
    await this.acceptor.start();
    const open = [...this.followed.keys()];
    const orders = await Promise.all(open.map((orderId) => this.options.orderStatus(orderId)));
    orders.forEach((order, i) => (order ? this.onStatus(order) : this.followed.delete(open[i]!)));
    for (const client of this.clients.values()) this.renewSeries(client);
  }

  async stop(): Promise<void> {
    await this.acceptor.stop();
  }

  /** Fills of a committed turn (embedded mode); their states follow through onStatus, in the same step. */
  readonly onFills = (fills: readonly { orderId: string; quantity: number; price: bigint }[]): void => {
    for (const fill of fills) if (this.followed.has(fill.orderId)) this.queueFill(fill.orderId, fill);
  };

  /**
   * A committed state of an order: the reports it makes go to its session and to the drop copies
   * of its account. `fill`: the execution that made this state, when it comes with it (distributed
   * mode's OrderStatusChanged); a state seen before (a redelivery) is ignored, its fill with it.
   */
  readonly onStatus = (order: OrderSnapshot, fill?: CommittedFill): void => {
    if (this.ended.has(order.orderId)) return;
    const followed = this.follow(order);
    if (!followed || order.version < followed.version) return;
    if (fill && order.version > followed.version) this.queueFill(order.orderId, fill);
    followed.version = order.version;
    followed.last = order;
    const messages = reportsFor(followed.tracked, order, this.takeFills(order.orderId, order.filledQuantity - followed.tracked.reportedFilled), this.now());
    this.deliver(followed.owner, order.accountId, messages);
    if (isTerminal(order.status) && !followed.tracked.pending) this.end(order.orderId);
  };

  healthIndicator(): HealthIndicator {
    return {
      name: 'FIX gateway',
      gatesReadiness: false,
      check: async () => ({
        up: true,
        detail: [...this.clients.values()].map((c) => `${c.config.clientCompId}: ${c.session?.isLoggedOn ? 'logged on' : 'away'}`).join(', '),
      }),
    };
  }

  /**
   * A new FIX day for the client (a daily reset, or a logon with ResetSeqNumFlag): the ClOrdIDs of
   * orders that ended are free again, and each working order is restated (ExecType D), so the new
   * series' store, all a restart rebuilds the session from, knows it too.
   */
  private renewSeries(client: ClientSession): void {
    if (client.kind !== 'order-entry' || !client.session || !client.enterSeries((orderId) => this.followed.has(orderId))) return;
    const at = this.now();
    for (const followed of this.followed.values()) {
      if (followed.owner !== client || !followed.last || followed.tracked.reportedStatus === undefined) continue;
      this.send(client, fix44.executionReport(restatement(followed.last, followed.tracked, `${followed.tracked.orderId}-D${at.getTime()}`, at)));
    }
  }

  private async adopt(client: ClientSession, orderId: string, clOrdId: string): Promise<void> {
    const order = await this.options.orderStatus(orderId);
    if (!order) return;
    client.orders.set(clOrdId, orderId);
    const followed = this.followed.get(orderId);
    if (followed) followed.owner ??= client;
    else this.followed.set(orderId, { tracked: trackOrder(orderId, clOrdId), owner: client, version: 0 });
    // Reported from the start: the client never heard of it.
    this.onStatus(order);
  }

  /** What the session's store says it told its client (after a restart); orders it saw end stay known by ClOrdID only. */
  private recover(client: ClientSession): void {
    const store = client.store;
    if (!store) return;
    const replayed = replaySentMessages(store);
    const owner = client.kind === 'order-entry' ? client : undefined;
    if (owner) for (const [clOrdId, orderId] of replayed.orders) owner.orders.set(clOrdId, orderId);
    for (const [orderId, tracked] of replayed.tracked) {
      const done = tracked.reportedStatus !== undefined && isTerminal(tracked.reportedStatus) && !tracked.pending;
      // Ended only once every session's store says so (a drop copy may have been told less).
      if (!done) {
        this.ended.delete(orderId);
        if (!this.followed.has(orderId)) this.followed.set(orderId, { tracked, owner, version: 0 });
      } else if (!this.followed.has(orderId)) this.rememberEnded(orderId);
    }
  }

  private addClient(client: ClientSession): ClientSession {
    this.clients.set(client.key, client);
    return client;
  }

  private application(): FixApplication {
    const renew = (session: FixSession) => {
      const client = this.clients.get(session.id);
      if (client) this.renewSeries(client);
    };
    return {
      onLogon: renew,
      onDailyReset: renew,
      fromApp: (message: FixMessage, session: FixSession) => {
        const client = this.clients.get(session.id);
        if (!client) return;
        this.options.metrics?.fixGatewayMessages.inc({ direction: 'in', session: client.config.clientCompId, msg_type: message.msgType });
        if (client.kind === 'drop-copy') {
          session.send(
            fix44.businessMessageReject({
              refSeqNum: message.seqNum ?? 0,
              refMsgType: message.msgType,
              reason: fix44.BusinessRejectReason.Other,
              text: 'a drop copy session is read only',
            }),
          );
          return;
        }
        return this.entry.handle(client, message, session);
      },
    };
  }

  private follow(order: OrderSnapshot): Followed | undefined {
    const known = this.followed.get(order.orderId);
    if (known) return known;
    const key = clientKey(order.accountId, order.clientOrderId);
    const claim = this.expected.get(key);
    if (claim) this.expected.delete(key);
    else if (!this.dropCopies.some((d) => d.covers(order.accountId))) return undefined;
    const owner = claim?.client;
    const clOrdId = claim?.clOrdId ?? order.clientOrderId;
    const followed = { tracked: trackOrder(order.orderId, clOrdId), owner, version: 0 };
    owner?.orders.set(clOrdId, order.orderId);
    this.followed.set(order.orderId, followed);
    return followed;
  }

  private end(orderId: string): void {
    this.followed.delete(orderId);
    this.fills.delete(orderId);
    this.rememberEnded(orderId);
  }

  private rememberEnded(orderId: string): void {
    this.ended.add(orderId);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
  }

  private queueFill(orderId: string, fill: CommittedFill): void {
    const queue = this.fills.get(orderId) ?? [];
    queue.push({ quantity: fill.quantity, price: fill.price });
    this.fills.set(orderId, queue);
  }

  private takeFills(orderId: string, quantity: number): CommittedFill[] {
    const queue = this.fills.get(orderId);
    if (!queue || quantity <= 0) return [];
    const taken: CommittedFill[] = [];
    let sum = 0;
    while (sum < quantity && queue.length > 0) {
      const fill = queue.shift()!;
      taken.push(fill);
      sum += fill.quantity;
    }
    return taken;
  }

  private deliver(owner: ClientSession | undefined, accountId: string, messages: readonly GatewayMessage[]): void {
    for (const message of messages) {
      if (message.kind === 'cancel-reject') {
        if (owner) this.send(owner, fix44.orderCancelReject(message.reject));
        continue;
      }
      if (owner) this.send(owner, fix44.executionReport(message.report));
      for (const copy of this.dropCopies) if (copy.covers(accountId)) this.send(copy, fix44.executionReport({ ...message.report, copy: true }));
    }
  }

  private send(client: ClientSession, message: OutgoingFix): void {
    client.session?.send(message);
    this.options.metrics?.fixGatewayMessages.inc({ direction: 'out', session: client.config.clientCompId, msg_type: message.msgType });
  }
}

// Late deliveries come within a consumer's uncommitted batch: far fewer orders than this.
const ENDED_KEPT = 100_000;

const clientKey = (accountId: string, clOrdId: string): string => `${accountId}\u0000${clOrdId}`;

/** A session's name for its store: the gateway's CompID, then the client's. */
export const gatewaySessionName = (session: Pick<FixGatewaySession, 'gatewayCompId' | 'clientCompId'>): string =>
  `${session.gatewayCompId}-${session.clientCompId}`;
