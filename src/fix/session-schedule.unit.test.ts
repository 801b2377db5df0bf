import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, FrameDecoder, fixTimestamp } from './codec.js';
import type { Field } from './message.js';
import { lastResetBoundary, parseDailyTime } from '../lib/daily-time.js';
import { FixSession, type FixApplication, type SessionConfig } from './session.js';
import { MemoryStore, type MessageStore } from './store.js';
import { MsgType, Tag } from './tags.js';

const at = (iso: string) => Date.parse(iso);

/** A session and its store on one fake clock; `connect()` opens a new connection, `advance()` moves time and ticks. */
function harness(options: {
  start: string;
  role?: 'initiator' | 'acceptor';
  store?: MessageStore;
  config?: Partial<SessionConfig>;
  app?: Partial<FixApplication>;
}) {
  const clock = { now: at(options.start) };
  const now = () => new Date(clock.now);
  const store = options.store ?? new MemoryStore({ now });
  let sent: ReturnType<typeof decodeMessage>[] = [];
  let disconnected = false;
  let session: FixSession | undefined;
  const start = () => {
    session = new FixSession(
      { senderCompId: 'VENUE', targetCompId: 'OMS', role: options.role ?? 'acceptor', heartBtIntSeconds: 30, store, now, ...options.config },
      { fromApp: () => undefined, ...options.app },
    );
    return session;
  };
  const h = {
    clock,
    now,
    store,
    get session() {
      return session ?? start();
    },
    get sent() {
      return sent;
    },
    get disconnected() {
      return disconnected;
    },
    start,
    connect: () => {
      sent = [];
      disconnected = false;
      h.session.connected({
        send: (b) => void sent.push(...new FrameDecoder().push(b).map((f) => decodeMessage(f.bytes))),
        disconnect: () => void (disconnected = true),
      });
      h.session.flush(); // the end of the event-loop turn
    },
    advance: (ms: number) => {
      clock.now += ms;
      h.session.tick();
      h.session.flush();
    },
    peer: (msgType: string, seqNum: number, body: Field[] = []) =>
      h.session.onFrame({
        kind: 'message',
        bytes: encodeMessage({ msgType, senderCompId: 'OMS', targetCompId: 'VENUE', seqNum, sendingTime: fixTimestamp(now()) }, body),
      }),
    logon: (seqNum = 1) =>
      h.peer(MsgType.Logon, seqNum, [
        [Tag.EncryptMethod, '0'],
        [Tag.HeartBtInt, '30'],
      ]),
  };
  return h;
}

describe('daily reset time', () => {
  it('finds the latest reset time at or before now, in UTC', () => {
    const fivePm = parseDailyTime('17:00:00');
    expect(lastResetBoundary(fivePm, at('2026-01-02T16:59:59Z'))).toBe(at('2026-01-01T17:00:00Z'));
    expect(lastResetBoundary(fivePm, at('2026-01-02T17:00:00Z'))).toBe(at('2026-01-02T17:00:00Z'));
    expect(lastResetBoundary(parseDailyTime('00:00:00'), at('2026-03-01T00:00:01Z'))).toBe(at('2026-03-01T00:00:00Z'));
    for (const bad of ['24:00:00', '7:00:00', '07:60:00', '07:00', 'noon']) expect(() => parseDailyTime(bad)).toThrow('invalid daily time');
  });

  it('resets at start a store created before the latest reset time, and keeps a newer one', () => {
    const h = harness({ start: '2026-01-02T16:00:00Z', config: { resetAtUtc: '17:00:00' } });
    h.store.storeSent(1, Buffer.from('yesterday'));
    h.store.setNextTargetSeqNum(9);
    h.clock.now = at('2026-01-02T18:00:00Z');
    h.start();
    expect([h.store.nextSenderSeqNum(), h.store.nextTargetSeqNum(), h.store.sentBetween(1, 9)]).toEqual([1, 1, []]);
    expect(h.store.creationTime!().getTime()).toBe(at('2026-01-02T18:00:00Z'));

    h.store.setNextSenderSeqNum(5);
    h.clock.now = at('2026-01-03T16:59:59Z');
    h.start();
    expect(h.store.nextSenderSeqNum()).toBe(5);
  });

  it('resets when an initiator connects after the reset time passed while it was offline, logging on at 1', () => {
    const h = harness({ start: '2026-01-02T16:00:00Z', role: 'initiator', config: { resetAtUtc: '17:00:00' } });
    h.session.send({ msgType: MsgType.NewOrderSingle, body: [[Tag.ClOrdID, 'OLD']] });
    h.store.setNextTargetSeqNum(4);
    h.clock.now = at('2026-01-02T17:30:00Z'); // no tick ran in between
    h.connect();
    expect(h.sent.map((m) => [m.msgType, m.seqNum])).toEqual([[MsgType.Logon, 1]]);
    expect(h.session.expectedTargetSeqNum).toBe(1);
    expect(h.store.sentBetween(1, 9)).toEqual([]);
  });

  it('resets a disconnected session when the timer passes the reset time', () => {
    const h = harness({ start: '2026-01-02T16:59:00Z', config: { resetAtUtc: '17:00:00' } });
    h.store.setNextSenderSeqNum(7);
    h.advance(59_000);
    expect(h.store.nextSenderSeqNum()).toBe(7);
    h.advance(1_000);
    expect(h.store.nextSenderSeqNum()).toBe(1);
  });

  it('tells the application of the daily reset; what it sends then is stored for the peer from 1', () => {
    const resets: number[] = [];
    const h = harness({
      start: '2026-01-02T16:59:00Z',
      config: { resetAtUtc: '17:00:00' },
      app: {
        onDailyReset: (session) => {
          resets.push(h.store.nextSenderSeqNum());
          session.send({ msgType: MsgType.ExecutionReport, body: [[Tag.ExecID, 'RESTATED-1']] });
        },
      },
    });
    h.store.setNextSenderSeqNum(7);
    h.advance(60_000);
    expect(resets).toEqual([1]);
    expect(h.store.nextSenderSeqNum()).toBe(2);
    expect(h.store.sentBetween(1, 1).map(({ message }) => decodeMessage(message).get(Tag.ExecID))).toEqual(['RESTATED-1']);
    h.advance(60_000);
    expect(resets).toEqual([1]);
  });

  it('logs a logged-on session out at the reset time, resets after the disconnect, and the next Logon starts at 1', async () => {
    const h = harness({ start: '2026-01-02T16:59:30Z', config: { resetAtUtc: '17:00:00' } });
    h.connect();
    h.logon();
    h.peer(MsgType.NewOrderSingle, 2, [[Tag.ClOrdID, 'A']]);
    await h.session.idle();
    h.session.send({ msgType: MsgType.ExecutionReport, body: [[Tag.ExecID, 'X1']] });
    h.advance(29_000);
    expect(h.session.isLoggedOn).toBe(true);
    h.advance(1_000);
    const logout = h.sent.at(-1)!;
    expect([logout.msgType, logout.seqNum, logout.get(Tag.Text)]).toEqual([MsgType.Logout, 3, 'daily session reset']);
    expect(h.session.isLoggedOn).toBe(false);
    expect(h.store.nextSenderSeqNum()).toBe(4); // not before the handshake ends
    h.peer(MsgType.Logout, 3);
    await h.session.idle();
    expect(h.disconnected).toBe(true);
    expect([h.store.nextSenderSeqNum(), h.store.nextTargetSeqNum(), h.store.sentBetween(1, 9)]).toEqual([1, 1, []]);

    h.connect();
    h.logon(1);
    await h.session.idle();
    expect(h.session.isLoggedOn).toBe(true);
    expect(h.sent.map((m) => [m.msgType, m.seqNum, m.get(Tag.ResetSeqNumFlag)])).toEqual([[MsgType.Logon, 1, undefined]]);
    expect(h.store.nextTargetSeqNum()).toBe(2);
  });

  it('resets after the logout timeout when the peer never answers the daily Logout', async () => {
    const h = harness({ start: '2026-01-02T16:59:50Z', config: { resetAtUtc: '17:00:00', logoutTimeoutMs: 5_000 } });
    h.connect();
    h.logon();
    await h.session.idle();
    h.advance(10_000);
    expect(h.sent.at(-1)!.get(Tag.Text)).toBe('daily session reset');
    h.advance(5_000);
    expect([h.disconnected, h.store.nextSenderSeqNum()]).toEqual([false, 3]);
    h.advance(1);
    expect([h.disconnected, h.store.nextSenderSeqNum()]).toEqual([true, 1]);
  });
});

describe('session timeouts', () => {
  it('disconnects when the peer never answers our Logout, after the configured logout timeout', async () => {
    const h = harness({ start: '2026-01-02T10:00:00Z', config: { logoutTimeoutMs: 3_000 } });
    h.connect();
    h.logon();
    await h.session.idle();
    h.session.logout('end of day');
    h.session.flush();
    expect(h.sent.at(-1)!.msgType).toBe(MsgType.Logout);
    h.advance(3_000);
    expect(h.disconnected).toBe(false);
    h.advance(1);
    expect(h.disconnected).toBe(true);
    expect(h.session.isConnected).toBe(false);
  });

  it('disconnects an acceptor connection that sends no Logon within the logon timeout, saying nothing', () => {
    const h = harness({ start: '2026-01-02T10:00:00Z', config: { logonTimeoutMs: 4_000 } });
    h.connect();
    h.advance(4_000);
    expect(h.disconnected).toBe(false);
    h.advance(1);
    expect(h.disconnected).toBe(true);
    expect(h.sent).toEqual([]);
  });

  it('disconnects an initiator whose Logon goes unanswered within the logon timeout', () => {
    const h = harness({ start: '2026-01-02T10:00:00Z', role: 'initiator', config: { logonTimeoutMs: 4_000 } });
    h.connect();
    expect(h.sent.map((m) => m.msgType)).toEqual([MsgType.Logon]);
    h.advance(4_001);
    expect(h.disconnected).toBe(true);
  });
});
