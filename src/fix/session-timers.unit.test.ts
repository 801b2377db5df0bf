import { describe, expect, it } from 'vitest';
import { dueTimerAction, type TimerView } from './session-timers.js';

const HB = 30_000;
const NOW = 1_000_000;

/** A logged-on session that sent and received just now. */
const view = (changes: Partial<TimerView> = {}): TimerView => ({
  state: 'active',
  connected: true,
  now: NOW,
  stateSince: NOW - 60_000,
  lastSentAt: NOW - 1_000,
  lastReceivedAt: NOW - 1_000,
  testRequestSentAt: undefined,
  heartBtIntMs: HB,
  logonTimeoutMs: 10_000,
  logoutTimeoutMs: 2_000,
  resetDue: false,
  ...changes,
});

describe('the session timers', () => {
  it('do nothing while both sides talk', () => {
    expect(dueTimerAction(view())).toEqual({ kind: 'none' });
  });

  it('send a Heartbeat once we were silent a whole interval, before any TestRequest', () => {
    expect(dueTimerAction(view({ lastSentAt: NOW - HB }))).toEqual({ kind: 'heartbeat' });
    expect(dueTimerAction(view({ lastSentAt: NOW - HB, lastReceivedAt: NOW - 2 * HB }))).toEqual({ kind: 'heartbeat' });
  });

  it('send a TestRequest when the peer is silent 1.2 intervals, and drop when it goes unanswered an interval', () => {
    expect(dueTimerAction(view({ lastReceivedAt: NOW - 1.2 * HB + 1 }))).toEqual({ kind: 'none' });
    expect(dueTimerAction(view({ lastReceivedAt: NOW - 1.2 * HB }))).toEqual({ kind: 'test-request' });
    expect(dueTimerAction(view({ lastReceivedAt: NOW - 2 * HB, testRequestSentAt: NOW - HB + 1 }))).toEqual({ kind: 'none' });
    expect(dueTimerAction(view({ lastReceivedAt: NOW - 2 * HB, testRequestSentAt: NOW - HB }))).toEqual({
      kind: 'drop',
      warning: 'no answer to TestRequest; disconnecting',
    });
  });

  it('drop a connection whose Logon does not come, or whose Logout is not answered, in time', () => {
    expect(dueTimerAction(view({ state: 'awaiting-logon', stateSince: NOW - 10_000 }))).toEqual({ kind: 'none' });
    expect(dueTimerAction(view({ state: 'awaiting-logon', stateSince: NOW - 10_001 }))).toEqual({ kind: 'drop', warning: 'no Logon in time; disconnecting' });
    expect(dueTimerAction(view({ state: 'logon-sent', stateSince: NOW - 10_001 }))).toEqual({ kind: 'drop', warning: 'no Logon in time; disconnecting' });
    expect(dueTimerAction(view({ state: 'logout-sent', stateSince: NOW - 2_001 }))).toEqual({ kind: 'drop' });
    // Not logged on: no heartbeat however long the silence.
    expect(dueTimerAction(view({ state: 'disconnected', connected: false, lastSentAt: 0 }))).toEqual({ kind: 'none' });
  });

  it('at the daily reset: log out a live session first, drop one not logged on, reset one not connected', () => {
    expect(dueTimerAction(view({ resetDue: true }))).toEqual({ kind: 'logout-for-reset' });
    expect(dueTimerAction(view({ resetDue: true, state: 'awaiting-logon' }))).toEqual({ kind: 'drop' });
    expect(dueTimerAction(view({ resetDue: true, state: 'disconnected', connected: false }))).toEqual({ kind: 'daily-reset' });
    // Its logout sent: the handshake (or its timeout) ends the session, then the reset follows.
    expect(dueTimerAction(view({ resetDue: true, state: 'logout-sent', stateSince: NOW - 100 }))).toEqual({ kind: 'none' });
    expect(dueTimerAction(view({ resetDue: true, state: 'logout-sent', stateSince: NOW - 2_001 }))).toEqual({ kind: 'drop' });
  });
});
