import { isChildLive, type ChildOrder } from '../../domain/order/child-order.js';
import { isTerminal } from '../../domain/order/enums.js';
import type { Order } from '../../domain/order/order.js';
import type { TrackedOrder } from '../../ports/order-store.js';
import type { WorkingOrderState } from '../../ports/working-state.js';

const clientKey = (accountId: string, clientOrderId: string): string => `${accountId}\u0000${clientOrderId}`;

interface Finished {
  readonly orderId: string;
  /** Journal record that made the order final: it may leave memory once the query model holds it. */
  readonly seq: number;
  readonly at: number;
}

/**
 * oms-core's working state in memory, with one writer (the order flow's turn): parent orders with
 * their routing progress, their children, and the fills already applied. Orders that reached a
 * final status stay a while (late venue reports, reads right after) and leave once the query model
 * holds them. The index of (accountId, clientOrderId) covers the orders accepted since the start
 * and the working ones loaded at it; older keys are the order flow's StoredClientKeys' to find.
 */
export class LiveOrders {
  /** Mutated in place by OrderBatch, which applies events to it. */
  readonly orders = new Map<string, TrackedOrder>();
  readonly children = new Map<string, ChildOrder>();
  private readonly childIds = new Map<string, string[]>();
  private readonly fillKeys = new Map<string, Set<string>>();
  private readonly clientKeys = new Map<string, string>();
  private finished: Finished[] = [];

  load(state: { working: readonly WorkingOrderState[]; clientKeys: readonly { accountId: string; clientOrderId: string; orderId: string }[] }): void {
    for (const key of state.clientKeys) this.clientKeys.set(clientKey(key.accountId, key.clientOrderId), key.orderId);
    for (const { tracked, children, fillKeys } of state.working) {
      this.orders.set(tracked.order.orderId, tracked);
      for (const child of children) this.putChild(child);
      this.fillKeys.set(tracked.order.orderId, new Set(fillKeys));
    }
  }

  get size(): number {
    return this.orders.size;
  }

  /** The order holding this client key, if it was accepted since the start or is working. */
  orderIdFor(accountId: string, clientOrderId: string): string | undefined {
    return this.clientKeys.get(clientKey(accountId, clientOrderId));
  }

  add(order: Order): void {
    this.clientKeys.set(clientKey(order.accountId, order.clientOrderId), order.orderId);
    this.orders.set(order.orderId, { order, routing: { requested: 0, decided: 0 } });
  }

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId)?.order;
  }

  childrenOf(parentId: string): ChildOrder[] {
    return (this.childIds.get(parentId) ?? []).map((id) => this.children.get(id)!);
  }

  putChild(child: ChildOrder): void {
    if (!this.children.has(child.childOrderId)) {
      const ids = this.childIds.get(child.parentOrderId);
      if (ids) ids.push(child.childOrderId);
      else this.childIds.set(child.parentOrderId, [child.childOrderId]);
    }
    this.children.set(child.childOrderId, child);
  }

  /** True the first time a fill is seen for the order: a venue's resend is applied once. */
  firstFill(orderId: string, key: string): boolean {
    let keys = this.fillKeys.get(orderId);
    if (!keys) {
      keys = new Set();
      this.fillKeys.set(orderId, keys);
    }
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }

  /** Working orders (not final), optionally only those matching. */
  working(filter: (order: Order) => boolean = () => true): Order[] {
    const found: Order[] = [];
    for (const { order } of this.orders.values()) if (!isTerminal(order.status) && filter(order)) found.push(order);
    return found;
  }

  /** Children we believe live at a venue: after a reconnect the venue is asked about each. */
  liveChildrenAt(venue: string): ChildOrder[] {
    const found: ChildOrder[] = [];
    for (const child of this.children.values()) if (child.venue === venue && isChildLive(child) && child.status !== 'ROUTED') found.push(child);
    return found;
  }

  /** Notes orders that became final in the journal record `seq`. */
  finishedAt(orderIds: readonly string[], seq: number, at: number): void {
    for (const orderId of orderIds) this.finished.push({ orderId, seq, at });
  }

  /** Drops final orders the query model holds (`watermark`) that finished before `before`. */
  evict(watermark: number, before: number): number {
    let count = 0;
    while (count < this.finished.length && this.finished[count]!.seq <= watermark && this.finished[count]!.at < before) {
      const { orderId } = this.finished[count]!;
      for (const childId of this.childIds.get(orderId) ?? []) this.children.delete(childId);
      this.childIds.delete(orderId);
      this.fillKeys.delete(orderId);
      this.orders.delete(orderId);
      count++;
    }
    if (count > 0) this.finished = this.finished.slice(count);
    return count;
  }
}
