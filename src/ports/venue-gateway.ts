import type { ChildCancelRequested, ChildExecutionType, ChildOrderRouted } from '../domain/events/messages.js';

/** An ExecutionReport as a venue sent it, decoded from its wire format. Prices are decimal strings. */
export interface VenueExecutionReport {
  readonly venue: string;
  readonly clOrdId: string;
  readonly execId: string;
  readonly execType: ChildExecutionType;
  readonly lastQty: number;
  readonly lastPx: string | null;
  readonly cumQty: number;
  readonly leavesQty: number;
  readonly text: string | null;
  readonly transactTime: string;
  /** PossDupFlag/PossResend: the venue says it may have sent this report before. */
  readonly possibleDuplicate: boolean;
}

/** Where the execution adapter hands each report; resolves once the report is durable. */
export type ExecutionReportSink = (report: VenueExecutionReport) => Promise<void>;

/** Order entry at the venues (FIX sessions in practice); one connection per venue. */
export interface VenueGateway {
  readonly venues: readonly string[];
  /** True while the venue's session is logged on. */
  isReady(venue: string): boolean;
  /** Sends a NewOrderSingle; resolves once it is in the session's store (it will reach the venue, if need be by resend). */
  sendNewOrder(child: ChildOrderRouted): Promise<void>;
  /** Sends a cancel for a child already sent; the answer comes back as a report (CANCELED or CANCEL_REJECTED). */
  sendCancel(request: ChildCancelRequested): Promise<void>;
}
