import type { OrderSnapshot } from '../domain/events/messages.js';

/** One status change as the streams send it: `id` orders the updates of this process. */
export interface OrderUpdate {
  readonly id: string;
  readonly order: OrderSnapshot;
}

export type OrderUpdateListener = (update: OrderUpdate) => void;

/** How a stream that reconnects with the id of the last update it had can go on. */
export type Resumption =
  /** Every update after it is still held: they follow, in order. */
  | { readonly kind: 'resume'; readonly missed: readonly OrderUpdate[] }
  /** The id is from before this process started, or older than what is held: read the state again. */
  | { readonly kind: 'reset' };

/** The live order streams' source (SSE, gRPC's StreamOrders). */
export interface OrderUpdates {
  /** The id of the latest update: a stream that starts now resumes after it. */
  readonly latestId: string;
  /** Every update of the account's orders (all accounts when undefined) until the returned function is called. */
  subscribe(accountId: string | undefined, listener: OrderUpdateListener): () => void;
  resume(lastEventId: string, accountId: string | undefined): Resumption;
}
