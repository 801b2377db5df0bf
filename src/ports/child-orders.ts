import type { Side } from '../domain/order/enums.js';

export interface ChildOrderOwner {
  readonly parentOrderId: string;
  readonly accountId: string;
  readonly symbol: string;
  readonly side: Side;
}

/** Finds the parent of child orders this process did not send (after a restart). */
export type ChildOwnerLookup = (childOrderIds: readonly string[]) => Promise<Map<string, ChildOrderOwner>>;

export interface LiveChild {
  readonly childOrderId: string;
  readonly symbol: string;
  readonly side: Side;
}
