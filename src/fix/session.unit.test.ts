import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, FrameDecoder, fixTimestamp } from './codec.js';
import type { Field } from './message.js';
import { FixSession, type FixApplication } from './session.js';
import { MemoryStore } from './store.js';
import { MsgType, Tag } from './tags.js';

/** A session under test with a fake clock, capturing what it sends. */
function harness(role: 'initiator' | 'acceptor' = 'acceptor', fromApp?: FixApplication['fromApp']) {
  let now = Date.parse('2026-01-02T14:30:00Z');
  const sent: ReturnType<typeof decodeMessage>[] = [];
  const delivered: string[] = [];
  let disconnected = false;
  const app: FixApplication = { fromApp: fromApp ?? ((m) => void delivered.push(m.get(Tag.ClOrdID) ?? '')) };
  const store = new MemoryStore();
  const session = new FixSession({ senderCompId: 'VENUE', targetCompId: 'OMS', role, heartBtIntSeconds: 30, store, now: () => new Date(now) }, app);
  session.connected({
    send: (b) => void sent.push(...new FrameDecoder().push(b).map((f) => decodeMessage(f.bytes))),
    disconnect: () => void (disconnected = true),
  });
  const peer = (msgType: string, seqNum: number, body: Field[] = [], extra: { possDup?: boolean } = {}) =>
    session.onFrame({
      kind: 'message',
      bytes: encodeMessage(
        {
          msgType,
          senderCompId: 'OMS',
          targetCompId: 'VENUE',
          seqNum,
          sendingTime: fixTimestamp(new Date(now)),
          ...(extra.possDup ? { possDup: true, origSendingTime: fixTimestamp(new Date(now)) } : {}),
        },
        body,
      ),
    });
  return {
    session,
    store,
    sent,
    delivered,
    peer,
    get disconnected() {
      return disconnected;
    },
    advance: (ms: number) => {
      now += ms;
      session.tick();
      session.flush();
    },
    logon: (seqNum = 1) =>
      peer(MsgType.Logon, seqNum, [
        [Tag.EncryptMethod, '0'],
        [Tag.HeartBtInt, '30'],
      ]),
    order: (seqNum: number, id: string, possDup = false) => peer(MsgType.NewOrderSingle, seqNum, [[Tag.ClOrdID, id]], { possDup }),
  };
}

describe('FIX session', () => {
  it('answers a Logon, adopting HeartBtInt, and delivers application messages in order', async () => {
    const h = harness();
    h.logon();
    h.order(2, 'A');
    h.order(3, 'B');
    await h.session.idle();
    expect(h.sent[0]!.msgType).toBe(MsgType.Logon);
    expect(h.sent[0]!.get(Tag.HeartBtInt)).toBe('30');
    expect(h.delivered).toEqual(['A', 'B']);
    expect(h.store.nextTargetSeqNum()).toBe(4);
  });

  it('disconnects when the first message is not a Logon', async () => {
    const h = harness();
    h.order(1, 'A');
    await h.session.idle();
    expect(h.disconnected).toBe(true);
    expect(h.delivered).toEqual([]);
  });

  it('asks once for a gap, holds later messages, and delivers all in order after the resend', async () => {
    const h = harness();
    h.logon();
    h.order(4, 'D');
    h.order(5, 'E');
    await h.session.idle();
    const resends = h.sent.filter((m) => m.msgType === MsgType.ResendRequest);
    expect(resends.map((m) => [m.get(Tag.BeginSeqNo), m.get(Tag.EndSeqNo)])).toEqual([['2', '0']]);
    expect(h.delivered).toEqual([]);
    h.order(2, 'B', true);
    h.order(3, 'C', true);
    await h.session.idle();
    expect(h.delivered).toEqual(['B', 'C', 'D', 'E']);
    expect(h.store.nextTargetSeqNum()).toBe(6);
  });

  it('skips a gap filled by SequenceReset-GapFill', async () => {
    const h = harness();
    h.logon();
    h.order(5, 'E');
    h.peer(
      MsgType.SequenceReset,
      2,
      [
        [Tag.GapFillFlag, 'Y'],
        [Tag.NewSeqNo, '5'],
      ],
      { possDup: true },
    );
    await h.session.idle();
    expect(h.delivered).toEqual(['E']);
  });

  it('drops a PossDup duplicate and logs out on a low sequence number without PossDup', async () => {
    const h = harness();
    h.logon();
    h.order(2, 'A');
    h.order(2, 'A', true);
    await h.session.idle();
    expect(h.delivered).toEqual(['A']);
    h.order(2, 'A');
    await h.session.idle();
    expect(h.sent.at(-1)!.msgType).toBe(MsgType.Logout);
    expect(h.sent.at(-1)!.get(Tag.Text)).toBe('MsgSeqNum too low, expecting 3 but received 2');
    expect(h.disconnected).toBe(true);
  });

  it('replays application messages with PossDupFlag and gap-fills admin messages on ResendRequest', async () => {
    const h = harness();
    h.logon();
    await h.session.idle();
    h.session.send({ msgType: MsgType.ExecutionReport, body: [[Tag.ExecID, 'X1']] });
    h.session.send({ msgType: MsgType.Heartbeat, body: [] });
    h.session.send({ msgType: MsgType.ExecutionReport, body: [[Tag.ExecID, 'X2']] });
    h.session.flush();
    h.sent.length = 0;
    h.peer(MsgType.ResendRequest, 2, [
      [Tag.BeginSeqNo, '1'],
      [Tag.EndSeqNo, '0'],
    ]);
    await h.session.idle();
    expect(h.sent.map((m) => [m.msgType, m.seqNum, m.get(Tag.PossDupFlag), m.get(Tag.NewSeqNo) ?? m.get(Tag.ExecID)])).toEqual([
      ['4', 1, 'Y', '2'],
      ['8', 2, 'Y', 'X1'],
      ['4', 3, 'Y', '4'],
      ['8', 4, 'Y', 'X2'],
    ]);
    expect(h.sent[1]!.get(Tag.OrigSendingTime)).toBeDefined();
  });

  it('sends Heartbeats when idle, a TestRequest on silence, and disconnects when it goes unanswered', async () => {
    const h = harness();
    h.logon();
    await h.session.idle();
    h.advance(30_000);
    expect(h.sent.at(-1)!.msgType).toBe(MsgType.Heartbeat);
    h.advance(6_000);
    expect(h.sent.at(-1)!.msgType).toBe(MsgType.TestRequest);
    h.advance(5_000);
    expect(h.disconnected).toBe(false);
    h.advance(30_000);
    expect(h.disconnected).toBe(true);
  });

  it('after a stalled loop with both due, sends the Heartbeat first and the TestRequest no sooner than the next tick', async () => {
    const h = harness();
    h.logon();
    await h.session.idle();
    h.advance(40_000);
    expect(h.sent.at(-1)!.msgType).toBe(MsgType.Heartbeat);
    h.advance(250);
    expect(h.sent.at(-1)!.msgType).toBe(MsgType.TestRequest);
  });

  it('hands messages over without waiting, but persists a number only once its callback and all before it resolved', async () => {
    const release: (() => void)[] = [];
    const started: string[] = [];
    const h = harness('acceptor', (m) => {
      started.push(m.get(Tag.ClOrdID)!);
      return new Promise<void>((resolve) => release.push(resolve));
    });
    h.logon();
    h.order(2, 'A');
    h.order(3, 'B');
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(['A', 'B']);
    expect(h.session.expectedTargetSeqNum).toBe(4);
    expect(h.store.nextTargetSeqNum()).toBe(2);
    release[1]!();
    await new Promise((r) => setTimeout(r, 10));
    expect(h.store.nextTargetSeqNum()).toBe(2);
    release[0]!();
    await h.session.idle();
    expect(h.store.nextTargetSeqNum()).toBe(4);
  });

  it('never counts a message whose callback failed as received, and disconnects', async () => {
    const h = harness('acceptor', (m) => (m.get(Tag.ClOrdID) === 'BAD' ? Promise.reject(new Error('db down')) : undefined));
    h.logon();
    h.order(2, 'OK');
    h.order(3, 'BAD');
    h.order(4, 'LATER');
    await h.session.idle();
    expect(h.store.nextTargetSeqNum()).toBe(3);
    expect(h.disconnected).toBe(true);
  });

  it('handles every failed callback after the first, so none goes unhandled (which would end the process)', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      // A database that fails every report of a batch: each callback rejects, a moment later.
      const h = harness('acceptor', () => new Promise((_, reject) => setTimeout(() => reject(new Error('duplicate key')), 5)));
      h.logon();
      h.order(2, 'A');
      h.order(3, 'B');
      h.order(4, 'C');
      await h.session.idle();
      await new Promise((r) => setTimeout(r, 30));
      expect(h.disconnected).toBe(true);
      expect(h.store.nextTargetSeqNum()).toBe(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
