import { MsgType, Tag, type FixMessage } from '../../fix/index.js';
import type { VenueExecutionReport } from '../../ports/venue-gateway.js';

const TRACKED_ORDERS = 10_000;

/**
 * NewOrderSingles by the sequence number they went out with, so that a session-level Reject
 * (which names only RefSeqNum) can be tied to the child order it refused. Bounded: a Reject
 * comes right after the message, so only the most recent orders need remembering.
 */
export class SentOrders {
  private readonly bySeqNum = new Map<number, string>();

  remember(seqNum: number, clOrdId: string): void {
    this.bySeqNum.delete(seqNum);
    this.bySeqNum.set(seqNum, clOrdId);
    if (this.bySeqNum.size > TRACKED_ORDERS) this.bySeqNum.delete(this.bySeqNum.keys().next().value!);
  }

  clOrdIdAt(seqNum: number): string | undefined {
    return this.bySeqNum.get(seqNum);
  }
}

/**
 * A venue that refuses a NewOrderSingle with a session Reject (35=3) or a BusinessMessageReject
 * (35=j) sends no ExecutionReport, so the child would stay SENT forever: report it REJECTED, with
 * the venue's reason, under an execution id derived from the reject (a replay maps to the same id).
 */
export function rejectedOrderReport(venue: string, reject: FixMessage, sent: SentOrders): VenueExecutionReport | undefined {
  if (reject.get(Tag.RefMsgType) !== MsgType.NewOrderSingle) return undefined;
  const refSeqNum = reject.getInt(Tag.RefSeqNum);
  const clOrdId = reject.msgType === MsgType.Reject ? (refSeqNum === undefined ? undefined : sent.clOrdIdAt(refSeqNum)) : reject.get(Tag.BusinessRejectRefID);
  if (!clOrdId) return undefined;
  const refTag = reject.get(Tag.RefTagID);
  const text = `${reject.get(Tag.Text) ?? 'refused by the venue'}${refTag ? ` (tag ${refTag})` : ''}`;
  return {
    venue,
    clOrdId,
    execId: `${reject.msgType === MsgType.Reject ? 'session-reject' : 'business-reject'}:${clOrdId}`,
    execType: 'REJECTED',
    lastQty: 0,
    lastPx: null,
    cumQty: 0,
    leavesQty: 0,
    text,
    transactTime: new Date().toISOString(),
    possibleDuplicate: false,
  };
}
