import type { ChildOrder } from '../domain/order/child-order.js';
import type { Position } from '../domain/positions/position.js';
import type { RecentOrder } from '../domain/risk/exposure.js';
import type { RecordedDecision } from './risk-store.js';
import type { FillRecord, OrderHistoryEntry, TrackedOrder } from './order-store.js';

/**
 * What one turn of the in-memory order flow changed: the full new state of every order, child
 * order and position it touched, and what it appended (history lines, fills, risk decisions).
 * It is the journal's record and, written behind, the query model's update; applying it twice
 * changes nothing (states carry their version, appends their keys).
 */
export interface StateChanges {
  readonly orders: readonly TrackedOrder[];
  readonly history: readonly OrderHistoryEntry[];
  readonly children: readonly ChildOrder[];
  readonly fills: readonly FillRecord[];
  readonly positions: readonly Position[];
  readonly riskDecisions: readonly RecordedDecision[];
}

/** The query model (tables the read API serves), written behind the journal in batches. */
export interface QueryModelWriter {
  /**
   * Applies the changes of journal records up to `throughSeq` in one transaction, together with
   * the watermark `throughSeq`. Later states of an order (higher version) win over earlier ones.
   */
  write(changes: readonly StateChanges[], throughSeq: number): Promise<void>;
  /** The journal sequence number the query model holds everything up to (0 when new). */
  watermark(): Promise<number>;
}

/** A working order with everything oms-core needs to go on with it after a restart. */
export interface WorkingOrderState {
  readonly tracked: TrackedOrder;
  /** Every child of the order, final ones included (the remainder decision looks at all of them). */
  readonly children: readonly ChildOrder[];
  /** `venue|execId` of the fills already applied, so a venue's resend is not applied twice. */
  readonly fillKeys: readonly string[];
}

/** An approval, as the throttle and duplicate windows read it. */
export interface RecentApproval {
  readonly accountId: string;
  readonly order: RecentOrder;
  readonly decidedAt: Date;
}

/** Reads the working state back from the query model at start (after the journal's tail was written to it). */
export interface WorkingStateLoader {
  /** Orders not yet final (PENDING_NEW, NEW, PARTIALLY_FILLED, PENDING_CANCEL, PENDING_REPLACE, DONE_FOR_DAY). */
  workingOrders(): Promise<WorkingOrderState[]>;
  positions(): Promise<Position[]>;
  /** Approvals decided after `since`, in decision order (for the throttle and duplicate windows). */
  approvalsSince(since: Date): Promise<RecentApproval[]>;
  /** The order holding (accountId, clientOrderId), if one is stored: a repeated submission of an order not in memory. */
  orderIdForClientKey(accountId: string, clientOrderId: string): Promise<string | undefined>;
  /** A filter over every stored order's client key, so that most new keys need no lookup. */
  clientKeyFilter(): Promise<ClientKeyFilter>;
}

/** Whether some stored order may hold a client key: never false for one that does. */
export interface ClientKeyFilter {
  readonly size: number;
  mayHold(accountId: string, clientOrderId: string): boolean;
}
