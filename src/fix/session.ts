import { decodeMessage, encodeMessage, encodeWith, fixTimestampOf, parseFixTimestampMs, type Frame, type FrameSink } from './codec.js';
import { FixMessage, FlatOutgoing, reverseRoute, type Field, type OutgoingFix } from './message.js';
import type { DataDictionary } from './dictionary/data-dictionary.js';
import { lastResetBoundary, parseDailyTime } from '../lib/daily-time.js';
import { InboundSequence } from './inbound-sequence.js';
import { OutboundQueue } from './outbound-queue.js';
import { resendPlan } from './resend-plan.js';
import { dueTimerAction, type SessionState } from './session-timers.js';
import type { MessageStore } from './store.js';
import { BEGIN_STRING, isAdminMessage, isFix44MsgType, MsgType, SESSION_REJECT_TEXT, SessionRejectReason, Tag } from './tags.js';

/** Sends bytes and drops the connection; keeps sockets out of the session. */
export interface Responder {
  send(bytes: Buffer): void;
  disconnect(): void;
}

export interface FixLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** The one interface a session calls (QuickFIX's Application). */
export interface FixApplication {
  onLogon?(session: FixSession): void;
  onLogout?(session: FixSession): void;
  /**
   * The daily reset began a new sequence series (both numbers back to 1, the sent messages gone);
   * what is sent now is stored for the counterparty. A reset at logon shows in onLogon instead.
   */
  onDailyReset?(session: FixSession): void;
  /** An application message, in sequence order; the next one waits until this resolves. */
  fromApp(message: FixMessage, session: FixSession): void | Promise<void>;
  /** A session-level Reject (35=3) of a message we sent (RefSeqNum 45, RefMsgType 372), in sequence order. */
  onReject?(reject: FixMessage, session: FixSession): void | Promise<void>;
  /** Inbound messages begin..end (inclusive) are missing; a ResendRequest follows unless one is open. For metrics. */
  onSequenceGap?(begin: number, end: number, session: FixSession): void;
}

export interface SessionConfig {
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly role: 'initiator' | 'acceptor';
  /** The initiator's HeartBtInt; an acceptor adopts the one in the initiator's Logon. */
  readonly heartBtIntSeconds: number;
  readonly store: MessageStore;
  /** Reset both sequence numbers to 1 at every logon (venues that start each session afresh). */
  readonly resetOnLogon?: boolean;
  readonly logonTimeoutMs?: number;
  readonly logoutTimeoutMs?: number;
  /**
   * Daily reset time 'HH:MM:SS' UTC (QuickFIX's StartTime/EndTime of a 24-hour session): a store
   * created before the latest one is reset; a logged-on session crossing it logs out first.
   */
  readonly resetAtUtc?: string;
  readonly now?: () => Date;
  readonly logger?: FixLogger;
  /** Validate inbound messages against this data dictionary (session Reject on a violation). */
  readonly dictionary?: DataDictionary;
}

/** How far SendingTime (52) may be from our clock. */
const MAX_SENDING_TIME_SKEW_MS = 120_000;

const silent: FixLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A FIX 4.4 session: logon, heartbeats and test requests, sequence numbers both ways, gap
 * detection with ResendRequest (later messages wait and are delivered in order once the gap is
 * filled), answering resends (application messages replayed with PossDupFlag, admin messages
 * collapsed into SequenceReset-GapFill), and the logout handshake. Timers run from `tick()`.
 * Writes are batched per event-loop turn: what a turn sends and stores goes to the store in one
 * write and then to the wire in one write (`flush()`).
 */
export class FixSession implements FrameSink {
  private state: SessionState = 'disconnected';
  private responder: Responder | undefined;
  private heartBtIntMs: number;
  private lastSentAt = 0;
  private lastReceivedAt = 0;
  private stateSince = 0;
  private testRequestSentAt: number | undefined;
  /** The next inbound number expected, messages held behind a gap, and their numbers persisted in order. */
  private readonly inbound = new InboundSequence({
    persist: (next) => {
      this.config.store.setNextTargetSeqNum(next);
      this.outbound.schedule();
    },
    onApplicationFailed: (error) => {
      this.logger.error({ session: this.id, err: error }, 'application failed on a FIX message; disconnecting');
      this.drop();
    },
  });
  /** Epoch milliseconds: Date.now() unless the config brings a clock (no Date per call). */
  private readonly nowMs: () => number;
  private readonly logger: FixLogger;
  private logonWaiters: (() => void)[] = [];
  private readonly resetAtMs: number | undefined;
  /** This turn's outgoing bytes, on the wire after the store's write of the same turn (see flush()). */
  private readonly outbound: OutboundQueue;

  constructor(
    readonly config: SessionConfig,
    private readonly app: FixApplication,
  ) {
    this.heartBtIntMs = config.heartBtIntSeconds * 1000;
    this.outbound = new OutboundQueue({
      flush: () => this.flush(),
      whenDurable: config.store.whenDurable?.bind(config.store),
      onDurabilityFailed: (connection, error) => {
        if (this.responder === connection) {
          this.logger.error({ session: this.id, err: error }, 'FIX store write failed; disconnecting');
          this.disconnected();
        }
        connection.disconnect();
      },
      onError: (error) => this.logger.error({ session: this.id, err: error }, 'FIX write failed'),
    });
    const now = config.now;
    this.nowMs = now ? () => now().getTime() : Date.now;
    this.logger = config.logger ?? silent;
    this.resetAtMs = config.resetAtUtc === undefined ? undefined : parseDailyTime(config.resetAtUtc);
    if (this.resetAtMs !== undefined && !config.store.creationTime) this.logger.warn({ session: this.id }, 'store has no creation time; daily reset disabled');
    if (this.resetDue()) this.dailyReset();
  }

  get id(): string {
    return `${this.config.senderCompId}->${this.config.targetCompId}`;
  }

  get isLoggedOn(): boolean {
    return this.state === 'active';
  }

  get isConnected(): boolean {
    return this.responder !== undefined;
  }

  get nextSenderSeqNum(): number {
    return this.config.store.nextSenderSeqNum();
  }

  get nextTargetSeqNum(): number {
    return this.config.store.nextTargetSeqNum();
  }

  /** The next inbound sequence number this session expects. */
  get expectedTargetSeqNum(): number {
    return this.inbound.expected;
  }

  /** Resolves at the next successful logon (at once if logged on). */
  loggedOn(): Promise<void> {
    if (this.isLoggedOn) return Promise.resolve();
    return new Promise((resolve) => this.logonWaiters.push(resolve));
  }

  /** A transport connected: the initiator logs on, the acceptor waits for the Logon. */
  connected(responder: Responder): void {
    if (this.resetDue()) this.dailyReset();
    this.responder = responder;
    this.inbound.restartAt(this.config.store.nextTargetSeqNum());
    this.lastReceivedAt = this.clock();
    this.setState(this.config.role === 'initiator' ? 'logon-sent' : 'awaiting-logon');
    if (this.config.role === 'initiator') {
      if (this.config.resetOnLogon) this.resetStore();
      this.sendLogon(this.config.resetOnLogon === true);
    }
  }

  /** The connection is gone; `from` ignores a late close of a connection the session already left. */
  disconnected(from?: Responder): void {
    if (from && from !== this.responder) return;
    const wasLoggedOn = this.isLoggedOn;
    this.responder = undefined;
    // Bytes for the gone connection; what they carried is stored (and written by the next flush).
    this.outbound.discard();
    this.testRequestSentAt = undefined;
    this.setState('disconnected');
    if (wasLoggedOn) this.app.onLogout?.(this);
    if (this.resetDue()) this.dailyReset();
  }

  onFrame(frame: Frame): void {
    if (frame.kind === 'garbled') this.onGarbled(frame.reason);
    else this.onFrameBytes(frame.bytes, 0, frame.bytes.length);
  }

  onGarbled(reason: string): void {
    // Dropped without consuming a sequence number; a later gap brings it back by resend.
    this.logger.warn({ session: this.id, reason }, 'garbled FIX message dropped');
  }

  /** A whole frame, bytes [start, end) of `buffer`: handled now, in order (no promise per message). */
  onFrameBytes(buffer: Buffer, start: number, end: number): void {
    const message = decodeMessage(buffer, start, end);
    this.lastReceivedAt = this.clock();
    try {
      this.receive(message);
    } catch (error) {
      this.logger.error({ session: this.id, err: error }, 'FIX message handling failed; disconnecting');
      this.drop();
    }
  }

  /** Waits until every message received so far has been handled and its number persisted. */
  async idle(): Promise<void> {
    await this.inbound.whenPersisted();
    this.flush();
    await this.outbound.drained();
  }

  /**
   * Sends a message. Its sequence number is taken at once and the message is in the store's memory
   * at once; the store writes it, and the wire gets it, at the next flush() (after this turn, or
   * sooner if called), never the wire first. While not logged on an application message is stored
   * and reaches the peer by resend after logon.
   */
  send(message: OutgoingFix): number {
    const seqNum = this.config.store.nextSenderSeqNum();
    const sendingTime = fixTimestampOf(this.nowMs());
    const bytes = message.routing?.length
      ? encodeMessage(
          {
            msgType: message.msgType,
            senderCompId: this.config.senderCompId,
            targetCompId: this.config.targetCompId,
            seqNum,
            sendingTime,
            possResend: message.possResend,
            routing: message.routing,
          },
          message.body,
        )
      : message instanceof FlatOutgoing
        ? encodeWith(message.msgType, seqNum, this.config.senderCompId, this.config.targetCompId, sendingTime, false, false, undefined, NO_FIELDS, message.flat)
        : encodeWith(
            message.msgType,
            seqNum,
            this.config.senderCompId,
            this.config.targetCompId,
            sendingTime,
            false,
            message.possResend === true,
            undefined,
            message.body,
          );
    if (isAdminMessage(message.msgType)) this.config.store.setNextSenderSeqNum(seqNum + 1);
    else this.config.store.storeSent(seqNum, bytes);
    if (this.responder && (this.isLoggedOn || isAdminMessage(message.msgType))) this.write(bytes);
    this.outbound.schedule();
    return seqNum;
  }

  /**
   * Writes the store's mutations since the last flush (one write for a batching store), then puts
   * the bytes sent since then on the wire in one write, or after `whenDurable` for a write-behind
   * store. A failed store write sends nothing and disconnects. Runs by itself once per event-loop
   * turn in which something was sent or stored; callers may run it sooner.
   */
  flush(): void {
    const chunk = this.outbound.take();
    try {
      this.config.store.flush?.();
    } catch (error) {
      this.logger.error({ session: this.id, err: error }, 'FIX store write failed; disconnecting');
      const responder = this.responder;
      if (!responder) return;
      this.disconnected();
      responder.disconnect();
      return;
    }
    const responder = this.responder;
    if (!responder || !chunk) return;
    this.outbound.release(responder, () => responder.send(chunk));
  }

  /** Starts the logout handshake; the session disconnects on the answer or after the timeout. */
  logout(reason?: string): void {
    if (!this.responder) return;
    this.send({ msgType: MsgType.Logout, body: reason ? [[Tag.Text, reason]] : [] });
    this.setState('logout-sent');
  }

  /** Timers: daily reset, heartbeats, test requests, logon and logout timeouts. Call about once a second. */
  tick(): void {
    const now = this.clock();
    const action = dueTimerAction({
      state: this.state,
      connected: this.responder !== undefined,
      now,
      stateSince: this.stateSince,
      lastSentAt: this.lastSentAt,
      lastReceivedAt: this.lastReceivedAt,
      testRequestSentAt: this.testRequestSentAt,
      heartBtIntMs: this.heartBtIntMs,
      logonTimeoutMs: this.config.logonTimeoutMs ?? 10_000,
      logoutTimeoutMs: this.config.logoutTimeoutMs ?? 2_000,
      resetDue: this.resetDue(),
    });
    switch (action.kind) {
      case 'none':
        return;
      // Logged on: the logout handshake first; the reset follows the disconnect (see disconnected()).
      case 'logout-for-reset':
        return this.logout('daily session reset');
      case 'daily-reset':
        return this.dailyReset();
      case 'drop':
        if (action.warning) this.logger.warn({ session: this.id }, action.warning);
        return this.drop();
      case 'heartbeat':
        this.send({ msgType: MsgType.Heartbeat, body: [] });
        return;
      case 'test-request':
        this.testRequestSentAt = now;
        this.send({ msgType: MsgType.TestRequest, body: [[Tag.TestReqID, 'TEST']] });
        return;
    }
  }

  private receive(message: FixMessage): void {
    if (!this.responder) return;
    const loggedOn = this.state === 'active' || this.state === 'logout-sent';
    if (!message.valueIs(Tag.BeginString, BEGIN_STRING)) return this.refuse(loggedOn, 'Incorrect BeginString');
    // 8, 9, 35 must come first; otherwise the message is garbled and consumes no sequence number.
    if (message.tagAt(1) !== Tag.BodyLength || message.tagAt(2) !== Tag.MsgType) {
      this.logger.warn({ session: this.id }, 'message with 8, 9, 35 out of order dropped');
      return;
    }
    const seqNum = message.seqNum;
    if (seqNum === undefined) return this.refuse(loggedOn, 'MsgSeqNum missing');
    if (message.msgType === MsgType.Logon && !loggedOn) return this.receiveLogon(message, seqNum);
    if (!loggedOn) return this.dropSilently(`first message was ${message.msgType}, not a Logon`);
    const violation = this.config.dictionary?.validate(message);
    if (violation) {
      this.sendReject(message, violation.reason, violation.tag);
      // A rejected message still takes its number; one that filled a gap lets the queue move on.
      if (seqNum === this.inbound.expected) {
        this.inbound.advanceTo(seqNum + 1);
        this.deliverQueued();
      }
      return;
    }
    if (!message.valueIs(Tag.SenderCompID, this.config.targetCompId) || !message.valueIs(Tag.TargetCompID, this.config.senderCompId)) {
      this.sendReject(message, SessionRejectReason.CompIdProblem);
      return this.logoutAndDrop();
    }
    if (!this.sendingTimeAccurate(message)) {
      this.sendReject(message, SessionRejectReason.SendingTimeAccuracy);
      return this.logoutAndDrop();
    }
    if (message.msgType === MsgType.Logon) return this.receiveSecondLogon(message, seqNum);
    // A Logout ends the session whatever its number.
    if (message.msgType === MsgType.Logout && seqNum !== this.inbound.expected) return this.receiveLogout(seqNum);
    // A ResendRequest is answered at once, whatever its own number (QuickFIX does the same).
    if (message.msgType === MsgType.ResendRequest && seqNum !== this.inbound.expected) {
      this.resend(message.getInt(Tag.BeginSeqNo) ?? 1, message.getInt(Tag.EndSeqNo) ?? 0);
      if (seqNum > this.inbound.expected) {
        this.inbound.hold(seqNum, null);
        this.requestResend(this.inbound.expected, seqNum - 1);
      }
      return;
    }
    if (message.msgType === MsgType.SequenceReset && message.get(Tag.GapFillFlag) !== 'Y') return this.receiveSequenceReset(message);
    if (!this.checkSequence(message, seqNum)) return;
    this.dispatch(message, seqNum);
    this.deliverQueued();
  }

  /** Before logon a bad first message only closes the connection; nothing is said to a stranger. */
  private refuse(loggedOn: boolean, reason: string): void {
    if (loggedOn) this.logoutAndDrop(reason);
    else this.dropSilently(reason);
  }

  /** SendingTime within two minutes of our clock, as QuickFIX checks by default. */
  private sendingTimeAccurate(message: FixMessage): boolean {
    const sent = parseFixTimestampMs(message.get(Tag.SendingTime) ?? '');
    return sent !== undefined && Math.abs(sent - this.clock()) <= MAX_SENDING_TIME_SKEW_MS;
  }

  /** A Logon on a live session: with ResetSeqNumFlag both sides start again at 1, else it is refused. */
  private receiveSecondLogon(message: FixMessage, seqNum: number): void {
    if (message.get(Tag.ResetSeqNumFlag) !== 'Y') return this.logoutAndDrop('already logged on');
    this.resetStore();
    this.sendLogon(true);
    this.inbound.advanceTo(seqNum + 1);
  }

  private receiveLogout(seqNum: number): void {
    if (seqNum < this.inbound.expected) this.logger.warn({ session: this.id, seqNum, expected: this.inbound.expected }, 'Logout with a low sequence number');
    if (this.state !== 'logout-sent') this.send({ msgType: MsgType.Logout, body: [] });
    this.drop();
  }

  /** True when the message is the next expected; otherwise queues it or refuses it. */
  private checkSequence(message: FixMessage, seqNum: number): boolean {
    const expected = this.inbound.expected;
    if (seqNum === expected) return true;
    if (seqNum > expected) {
      this.inbound.hold(seqNum, message);
      this.requestResend(expected, seqNum - 1);
      return false;
    }
    if (message.get(Tag.PossDupFlag) !== 'Y') {
      this.logoutAndDrop(`MsgSeqNum too low, expecting ${expected} but received ${seqNum}`);
      return false;
    }
    // A possible duplicate we already have: dropped, once its OrigSendingTime checks out.
    const original = parseFixTimestampMs(message.get(Tag.OrigSendingTime) ?? '');
    const sent = parseFixTimestampMs(message.get(Tag.SendingTime) ?? '');
    if (!message.has(Tag.OrigSendingTime)) {
      this.sendReject(message, SessionRejectReason.RequiredTagMissing, Tag.OrigSendingTime);
    } else if (original === undefined || sent === undefined || original > sent) {
      this.sendReject(message, SessionRejectReason.SendingTimeAccuracy);
      this.logoutAndDrop();
    }
    return false;
  }

  /**
   * Handles one in-sequence message. Application messages are handed over at once and in order;
   * the next message does not wait for the callback, but its sequence number is persisted only
   * after the callback (and every earlier one) resolved.
   */
  private dispatch(message: FixMessage, seqNum: number): void {
    switch (message.msgType) {
      case MsgType.Heartbeat:
        this.testRequestSentAt = undefined;
        break;
      case MsgType.TestRequest:
        this.send({ msgType: MsgType.Heartbeat, body: [[Tag.TestReqID, message.get(Tag.TestReqID) ?? '']] });
        break;
      case MsgType.ResendRequest:
        this.inbound.advanceTo(seqNum + 1);
        this.resend(message.getInt(Tag.BeginSeqNo) ?? 1, message.getInt(Tag.EndSeqNo) ?? 0);
        return;
      case MsgType.Reject:
        this.logger.warn({ session: this.id, refSeqNum: message.get(Tag.RefSeqNum), text: message.get(Tag.Text) }, 'session Reject received');
        // The peer refused one of our messages: an order it rejected this way is not working there.
        if (this.app.onReject) {
          this.inbound.advanceTo(seqNum + 1, this.handOver(this.app.onReject, message));
          return;
        }
        break;
      case MsgType.SequenceReset: {
        const newSeqNo = message.getInt(Tag.NewSeqNo);
        if (newSeqNo !== undefined && newSeqNo > seqNum) {
          this.inbound.advanceTo(newSeqNo);
          return;
        }
        break;
      }
      case MsgType.Logout:
        this.inbound.advanceTo(seqNum + 1);
        if (this.state !== 'logout-sent') this.send({ msgType: MsgType.Logout, body: [] });
        this.drop();
        return;
      default:
        if (!isFix44MsgType(message.msgType)) {
          this.sendReject(message, SessionRejectReason.InvalidMsgType);
          break;
        }
        this.inbound.advanceTo(seqNum + 1, this.handOver(this.app.fromApp, message));
        return;
    }
    this.inbound.advanceTo(seqNum + 1);
  }

  /**
   * Calls the application now; what it returns says when it is done: nothing (done already), or a
   * promise. A throw is a failure like a rejection.
   */
  private handOver(callback: (message: FixMessage, session: FixSession) => void | Promise<void>, message: FixMessage): void | Promise<void> {
    try {
      return callback.call(this.app, message, this);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private resetStore(): void {
    this.inbound.resetToOne();
    this.config.store.reset();
    this.outbound.schedule();
  }

  /** True when a daily reset time passed since the store was created or last reset. */
  private resetDue(): boolean {
    if (this.resetAtMs === undefined) return false;
    const created = this.config.store.creationTime?.();
    return created !== undefined && created.getTime() < lastResetBoundary(this.resetAtMs, this.clock());
  }

  private dailyReset(): void {
    this.logger.info({ session: this.id }, 'daily session reset: sequence numbers back to 1');
    this.resetStore();
    this.app.onDailyReset?.(this);
  }

  /** Messages that waited behind a gap, now next in line. */
  private deliverQueued(): void {
    for (;;) {
      const expected = this.inbound.expected;
      const message = this.inbound.takeNext();
      if (message === undefined) break;
      if (message === null) this.inbound.advanceTo(expected + 1);
      else this.dispatch(message, expected);
      if (!this.responder) return;
    }
    this.inbound.forgetPassed();
  }

  private receiveLogon(message: FixMessage, seqNum: number): void {
    if (message.get(Tag.SenderCompID) !== this.config.targetCompId || message.get(Tag.TargetCompID) !== this.config.senderCompId)
      return this.dropSilently('Logon for other CompIDs');
    if (!this.sendingTimeAccurate(message)) return this.dropSilently('Logon SendingTime accuracy problem');
    const heartBtInt = message.getInt(Tag.HeartBtInt);
    if (heartBtInt === undefined || heartBtInt < 0) return this.dropSilently('HeartBtInt missing or invalid');
    const reset = message.get(Tag.ResetSeqNumFlag) === 'Y';
    if (this.config.role === 'acceptor') {
      this.heartBtIntMs = heartBtInt * 1000;
      if (reset || this.config.resetOnLogon) this.resetStore();
      // ResetSeqNumFlag is echoed only when the initiator asked; ResetOnLogon resets quietly.
      this.sendLogon(reset);
    }
    const expected = this.inbound.expected;
    if (seqNum < expected && !reset) return this.logoutAndDrop(`MsgSeqNum too low, expecting ${expected} but received ${seqNum}`);
    this.setState('active');
    this.logger.info({ session: this.id, heartBtInt: this.heartBtIntMs / 1000 }, 'FIX session logged on');
    if (seqNum > expected) {
      this.inbound.hold(seqNum, null);
      this.requestResend(expected, seqNum - 1);
    } else {
      this.inbound.advanceTo(seqNum + 1);
    }
    for (const resolve of this.logonWaiters.splice(0)) resolve();
    this.app.onLogon?.(this);
  }

  private receiveSequenceReset(message: FixMessage): void {
    const newSeqNo = message.getInt(Tag.NewSeqNo);
    const expected = this.inbound.expected;
    if (newSeqNo === undefined || newSeqNo < expected) {
      this.logger.warn({ session: this.id, newSeqNo, expected }, 'SequenceReset to a lower number refused');
      this.sendReject(message, SessionRejectReason.ValueIncorrect);
      return;
    }
    this.inbound.advanceTo(newSeqNo);
  }

  /** Asks for a gap once (see InboundSequence.needsResendRequest). */
  private requestResend(begin: number, end: number): void {
    this.app.onSequenceGap?.(begin, end, this);
    if (!this.inbound.needsResendRequest(begin, end)) return;
    this.send({
      msgType: MsgType.ResendRequest,
      body: [
        [Tag.BeginSeqNo, String(begin)],
        [Tag.EndSeqNo, '0'],
      ],
    });
  }

  /** Replays stored application messages; runs of admin (or unstored) numbers become one gap fill. */
  private resend(begin: number, requestedEnd: number): void {
    for (const m of resendPlan(this.config.store, begin, requestedEnd)) this.writeResent(m.msgType, m.seqNum, m.body, m.origSendingTime);
  }

  private writeResent(msgType: string, seqNum: number, body: readonly Field[], origSendingTime: string | undefined): void {
    const sendingTime = fixTimestampOf(this.nowMs());
    const bytes = encodeWith(
      msgType,
      seqNum,
      this.config.senderCompId,
      this.config.targetCompId,
      sendingTime,
      true,
      false,
      origSendingTime ?? sendingTime,
      body,
    );
    this.write(bytes);
  }

  private sendLogon(reset: boolean): void {
    const body: Field[] = [
      [Tag.EncryptMethod, '0'],
      [Tag.HeartBtInt, String(this.heartBtIntMs / 1000)],
    ];
    if (reset) body.push([Tag.ResetSeqNumFlag, 'Y']);
    this.send({ msgType: MsgType.Logon, body });
  }

  /** Session-level Reject (35=3), fields in QuickFIX's order (45, 58, 371, 372, 373). */
  private sendReject(message: FixMessage, reason: SessionRejectReason, refTagId?: number): void {
    const body: Field[] = [
      [Tag.RefSeqNum, String(message.seqNum ?? 0)],
      [Tag.Text, SESSION_REJECT_TEXT[reason]],
    ];
    if (refTagId !== undefined) body.push([Tag.RefTagID, String(refTagId)]);
    body.push([Tag.RefMsgType, message.msgType], [Tag.SessionRejectReason, String(reason)]);
    this.send({ msgType: MsgType.Reject, body, routing: reverseRoute(message) });
  }

  private logoutAndDrop(reason?: string): void {
    this.logger.warn({ session: this.id, reason }, 'FIX session logout');
    this.send({ msgType: MsgType.Logout, body: reason ? [[Tag.Text, reason]] : [] });
    this.drop();
  }

  private dropSilently(reason: string): void {
    this.logger.warn({ session: this.id, reason }, 'FIX connection closed before logon');
    this.drop();
  }

  private write(bytes: Buffer): void {
    this.lastSentAt = this.clock();
    if (!this.responder) return;
    this.outbound.push(bytes);
  }

  private drop(): void {
    // What this turn sent (a Logout, say) goes out before the connection closes.
    this.flush();
    const responder = this.responder;
    this.disconnected();
    if (!responder) return;
    // After the bytes already queued for this connection (a Logout, say) went out.
    this.outbound.release(responder, () => responder.disconnect());
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.stateSince = this.clock();
  }

  private clock(): number {
    return this.nowMs();
  }
}

const NO_FIELDS: readonly Field[] = [];
