/** Where a session is in its life (QuickFIX's SessionState, reduced to what the timers need). */
export type SessionState = 'disconnected' | 'logon-sent' | 'awaiting-logon' | 'active' | 'logout-sent';

/** What the session's clock-driven checks look at, read once per tick. */
export interface TimerView {
  readonly state: SessionState;
  readonly connected: boolean;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly stateSince: number;
  readonly lastSentAt: number;
  readonly lastReceivedAt: number;
  /** When our TestRequest went out, while it is unanswered. */
  readonly testRequestSentAt: number | undefined;
  readonly heartBtIntMs: number;
  readonly logonTimeoutMs: number;
  readonly logoutTimeoutMs: number;
  /** A daily reset time passed since the store was created or last reset. */
  readonly resetDue: boolean;
}

/** What a tick does: at most one thing. */
export type TimerAction =
  | { readonly kind: 'none' }
  /** Logged on when the daily reset falls due: the logout handshake first, the reset after it. */
  | { readonly kind: 'logout-for-reset' }
  /** Not connected when the daily reset falls due: reset the sequence numbers now. */
  | { readonly kind: 'daily-reset' }
  | { readonly kind: 'drop'; readonly warning?: string }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'test-request' };

const NONE: TimerAction = { kind: 'none' };

/** The one action due now: daily reset, logon and logout timeouts, heartbeats, test requests. */
export function dueTimerAction(t: TimerView): TimerAction {
  if (t.resetDue) {
    if (t.state === 'active') return { kind: 'logout-for-reset' };
    if (t.state !== 'logout-sent') return t.connected ? { kind: 'drop' } : { kind: 'daily-reset' };
  }
  const elapsed = t.now - t.stateSince;
  if ((t.state === 'logon-sent' || t.state === 'awaiting-logon') && elapsed > t.logonTimeoutMs)
    return { kind: 'drop', warning: 'no Logon in time; disconnecting' };
  if (t.state === 'logout-sent' && elapsed > t.logoutTimeoutMs) return { kind: 'drop' };
  if (t.state !== 'active') return NONE;
  if (t.testRequestSentAt !== undefined && t.now - t.testRequestSentAt >= t.heartBtIntMs)
    return { kind: 'drop', warning: 'no answer to TestRequest; disconnecting' };
  // Our Heartbeat falls due before the peer's silence does; after a stall both can be due at
  // once, and the Heartbeat goes first, the TestRequest no sooner than the next tick.
  if (t.now - t.lastSentAt >= t.heartBtIntMs) return { kind: 'heartbeat' };
  if (t.testRequestSentAt === undefined && t.now - t.lastReceivedAt >= t.heartBtIntMs * 1.2) return { kind: 'test-request' };
  return NONE;
}
