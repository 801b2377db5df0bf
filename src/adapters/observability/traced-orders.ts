import type { Context } from '@opentelemetry/api';

/** Enough for every order in flight at a few thousand a second; older ones are final by then. */
const DEFAULT_CAPACITY = 50_000;

/**
 * The trace context of each order this process worked on last, by order id: what a batch
 * publishes about an order continues its trace, and a log line naming the order carries its ids.
 * Bounded, oldest first out: a distributed service never learns that an order is final.
 */
export class TracedOrders {
  private readonly contexts = new Map<string, Context>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  set(orderId: string, context: Context): void {
    // Re-inserted so that it counts as the newest.
    this.contexts.delete(orderId);
    this.contexts.set(orderId, context);
    if (this.contexts.size > this.capacity) this.contexts.delete(this.contexts.keys().next().value!);
  }

  get(orderId: string): Context | undefined {
    return this.contexts.get(orderId);
  }

  delete(orderId: string): void {
    this.contexts.delete(orderId);
  }

  get size(): number {
    return this.contexts.size;
  }
}

/** This process's orders (one per process, as OpenTelemetry's own context is): read by the logger. */
export const tracedOrders = new TracedOrders();
