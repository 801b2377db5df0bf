import { describe, expect, it } from 'vitest';
import { encodeMessage } from './codec.js';
import { resendPlan } from './resend-plan.js';
import { MemoryStore } from './store.js';
import { MsgType, Tag } from './tags.js';

/** Sent: 1 Logon and 3 Heartbeat (admin, not stored), 2 and 4 orders, 5 a Heartbeat. */
function storeWithHistory(): MemoryStore {
  const store = new MemoryStore();
  const order = (seqNum: number, clOrdId: string) =>
    store.storeSent(
      seqNum,
      encodeMessage({ msgType: MsgType.NewOrderSingle, senderCompId: 'OMS', targetCompId: 'VENUE', seqNum, sendingTime: `20260102-14:30:0${seqNum}.000` }, [
        [Tag.ClOrdID, clOrdId],
      ]),
    );
  store.setNextSenderSeqNum(2);
  order(2, 'A');
  store.setNextSenderSeqNum(4);
  order(4, 'B');
  store.setNextSenderSeqNum(6);
  return store;
}

const gapFill = (seqNum: number, newSeqNo: number) => ({
  msgType: MsgType.SequenceReset,
  seqNum,
  body: [
    [Tag.NewSeqNo, String(newSeqNo)],
    [Tag.GapFillFlag, 'Y'],
  ],
  origSendingTime: undefined,
});

describe('the answer to a ResendRequest', () => {
  it('replays stored messages as they were and fills each run of admin numbers with one gap fill', () => {
    const plan = resendPlan(storeWithHistory(), 1, 0);
    expect(plan.map((m) => [m.msgType, m.seqNum])).toEqual([
      [MsgType.SequenceReset, 1],
      [MsgType.NewOrderSingle, 2],
      [MsgType.SequenceReset, 3],
      [MsgType.NewOrderSingle, 4],
      [MsgType.SequenceReset, 5],
    ]);
    expect(plan[0]).toEqual(gapFill(1, 2));
    expect(plan[2]).toEqual(gapFill(3, 4));
    expect(plan[4]).toEqual(gapFill(5, 6));
    expect(plan[1]).toMatchObject({ body: [[Tag.ClOrdID, 'A']], origSendingTime: '20260102-14:30:02.000' });
  });

  it('stops at the last number sent when asked for more, and answers a range with no order by one gap fill', () => {
    expect(resendPlan(storeWithHistory(), 4, 99).map((m) => m.seqNum)).toEqual([4, 5]);
    expect(resendPlan(storeWithHistory(), 3, 3)).toEqual([gapFill(3, 4)]);
    expect(resendPlan(storeWithHistory(), 7, 0)).toEqual([]);
  });
});
