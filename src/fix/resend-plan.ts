import { decodeMessage } from './codec.js';
import type { Field } from './message.js';
import type { MessageStore } from './store.js';
import { MsgType, Tag } from './tags.js';

/** One message of an answer to a ResendRequest, to be sent again with PossDupFlag. */
export interface ResentMessage {
  readonly msgType: string;
  readonly seqNum: number;
  readonly body: readonly Field[];
  /** The original's SendingTime; undefined for a gap fill (it takes the new SendingTime). */
  readonly origSendingTime: string | undefined;
}

/**
 * The answer to a ResendRequest for begin..requestedEnd (0, or past what was sent: up to the last
 * sent): stored application messages as they were, and each run of numbers with nothing stored
 * (admin messages) as one SequenceReset-GapFill to the number after it.
 */
export function resendPlan(store: Pick<MessageStore, 'nextSenderSeqNum' | 'sentBetween'>, begin: number, requestedEnd: number): ResentMessage[] {
  const lastSent = store.nextSenderSeqNum() - 1;
  const end = requestedEnd === 0 || requestedEnd > lastSent ? lastSent : requestedEnd;
  const plan: ResentMessage[] = [];
  let gapStart: number | undefined;
  const closeGap = (upTo: number) => {
    if (gapStart === undefined) return;
    plan.push({
      msgType: MsgType.SequenceReset,
      seqNum: gapStart,
      body: [
        [Tag.NewSeqNo, String(upTo)],
        [Tag.GapFillFlag, 'Y'],
      ],
      origSendingTime: undefined,
    });
    gapStart = undefined;
  };
  const stored = new Map(store.sentBetween(begin, end).map((s) => [s.seqNum, s.message]));
  for (let seq = begin; seq <= end; seq++) {
    const bytes = stored.get(seq);
    if (!bytes) {
      gapStart ??= seq;
      continue;
    }
    closeGap(seq);
    const original = decodeMessage(bytes);
    plan.push({ msgType: original.msgType, seqNum: seq, body: original.bodyFields(), origSendingTime: original.get(Tag.SendingTime) });
  }
  closeGap(end + 1);
  return plan;
}
