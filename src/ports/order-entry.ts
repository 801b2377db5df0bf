import type { OrderSnapshot } from '../domain/events/messages.js';
import type { Order } from '../domain/order/order.js';
import type { FieldError } from '../domain/order/validation.js';

/**
 * What the client-facing adapters (REST, gRPC, the FIX order-entry gateway) ask of oms-ingest:
 * submit an order, ask to cancel or replace it, read its status. Bodies come as received; the
 * service validates them and names the field at fault.
 */
export type SubmitResult =
  { readonly kind: 'invalid'; readonly errors: readonly FieldError[] } | { readonly kind: 'accepted'; readonly order: Order; readonly created: boolean };

export interface OrderSubmission {
  /** Resolves once an accepted order is durable: the acknowledgement. */
  submit(body: unknown): Promise<SubmitResult>;
}

export type AmendmentResult =
  | { readonly kind: 'accepted'; readonly order: OrderSnapshot }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-working'; readonly order: OrderSnapshot }
  | { readonly kind: 'invalid'; readonly errors: readonly FieldError[] };

/** Who asks and through what, for the order's audit trail. */
export interface Requester {
  readonly requestedBy: string;
  readonly source: string;
}

export interface OrderAmendments {
  /** `visible`: whether the requester may see the order (one it may not see answers not-found). */
  requestCancel(orderId: string, requester: Requester, visible: (order: OrderSnapshot) => boolean): Promise<AmendmentResult>;
  requestReplace(orderId: string, body: unknown, requester: Requester, visible: (order: OrderSnapshot) => boolean): Promise<AmendmentResult>;
}

export interface OrderStatusLookup {
  status(orderId: string): Promise<OrderSnapshot | null>;
}
