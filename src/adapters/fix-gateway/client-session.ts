import type { FixGatewaySession } from '../../config/fix-gateway-config.js';
import { ALL_ACCOUNTS, isEntitled, type Principal } from '../../domain/access/principal.js';
import type { FixSession, MessageStore } from '../../fix/index.js';

/** One configured client session of the gateway and what it knows: its orders by ClOrdID. */
export class ClientSession {
  readonly principal: Principal;
  /** Every ClOrdID the client used for an order (new, cancel, replace) -> the OMS's orderId. */
  readonly orders = new SessionOrders();
  /**
   * NewOrderSingles not stored yet, by ClOrdID -> the orderId once stored (undefined if refused).
   * Orders are not handled one after another (each waits for its durable write, which the next
   * ones share), so a cancel, replace or status request of one of these waits for it here.
   */
  readonly inFlight = new Map<string, Promise<string | undefined>>();
  /** Cancels, replaces and status requests are handled one after another, in the client's order. */
  private queue: Promise<void> = Promise.resolve();
  /** The sequence series whose ClOrdIDs `orders` holds (its start, epoch ms). */
  private series: number | undefined;
  session: FixSession | undefined;

  /** `store`: the session's FIX store (sequence numbers and sent messages). */
  constructor(
    readonly config: FixGatewaySession,
    readonly kind: 'order-entry' | 'drop-copy',
    readonly store?: MessageStore,
  ) {
    // The same rules as an API token's: a trader (or, for a drop copy, a viewer) on these accounts.
    this.principal = { subject: `fix:${config.clientCompId}`, roles: [kind === 'order-entry' ? 'trader' : 'viewer'], accounts: config.accounts };
  }

  get key(): string {
    return sessionKey(this.config.gatewayCompId, this.config.clientCompId);
  }

  /** Account (1) may be left out of an order when the session trades exactly one account. */
  get defaultAccount(): string | undefined {
    const [only, ...rest] = this.config.accounts;
    return rest.length === 0 && only !== ALL_ACCOUNTS ? only : undefined;
  }

  /** Whether the client used this ClOrdID already (stored, or on its way). */
  used(clOrdId: string): boolean {
    return this.orders.has(clOrdId) || this.inFlight.has(clOrdId);
  }

  /** The orderId of a ClOrdID of this client, once any NewOrderSingle of it on its way is stored. */
  async orderIdOf(clOrdId: string): Promise<string | undefined> {
    return this.orders.get(clOrdId) ?? (await this.inFlight.get(clOrdId));
  }

  /**
   * When the session's current sequence series began: its FIX day (a new one at the daily reset,
   * FIX_RESET_AT_UTC, or at a logon with ResetSeqNumFlag). A ClOrdID is unique within one series.
   */
  seriesStart(): Date {
    return this.store?.creationTime?.() ?? new Date(0);
  }

  /**
   * Called before each message and at each reset: on a new series, forgets the ClOrdIDs of orders
   * that ended, which the client may use again, and says so. Working orders keep theirs (a GTC
   * order is cancelled by its ClOrdID on a later day).
   */
  enterSeries(isWorking: (orderId: string) => boolean): boolean {
    const start = this.seriesStart().getTime();
    const renewed = this.series !== undefined && start !== this.series;
    if (renewed) this.orders.retain(isWorking);
    this.series = start;
    return renewed;
  }

  covers(accountId: string): boolean {
    return isEntitled(this.principal, accountId);
  }

  /** Runs `handle` after every message before it was handled. */
  inTurn(handle: () => Promise<void>): Promise<void> {
    const run = this.queue.then(handle);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * A session's ClOrdIDs -> orderIds, which also knows the orderIds themselves, so an OrderID (37)
 * the client names is checked to be one of its own orders without a scan. Entries last one sequence
 * series, and longer for orders still working.
 */
export class SessionOrders extends Map<string, string> {
  private readonly orderIds = new Set<string>();

  override set(clOrdId: string, orderId: string): this {
    this.orderIds.add(orderId);
    return super.set(clOrdId, orderId);
  }

  /** Keeps the ClOrdIDs of the orders `keep` names, and forgets the others. */
  retain(keep: (orderId: string) => boolean): void {
    for (const [clOrdId, orderId] of this) if (!keep(orderId)) this.delete(clOrdId);
    this.orderIds.clear();
    for (const orderId of this.values()) this.orderIds.add(orderId);
  }

  /** Whether the OMS order is one this session sent or adopted. */
  hasOrder(orderId: string): boolean {
    return this.orderIds.has(orderId);
  }
}

/** The acceptor's session id: our CompID, then the client's. */
export const sessionKey = (gatewayCompId: string, clientCompId: string): string => `${gatewayCompId}->${clientCompId}`;
