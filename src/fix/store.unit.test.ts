import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, MemoryStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FileStore', () => {
  it('resumes sequence numbers and sent messages after the process died without closing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fix-store-'));
    dirs.push(dir);
    const first = new FileStore(dir);
    first.storeSent(1, Buffer.from('one'));
    first.setNextSenderSeqNum(3); // an admin message took 2
    first.storeSent(3, Buffer.from('three'));
    first.setNextTargetSeqNum(42);
    first.flush(); // as the session does at the end of each turn
    // No close(): as after kill -9.
    const reopened = new FileStore(dir);
    expect(reopened.nextSenderSeqNum()).toBe(4);
    expect(reopened.nextTargetSeqNum()).toBe(42);
    expect(reopened.sentBetween(1, 10).map((m) => [m.seqNum, m.message.toString()])).toEqual([
      [1, 'one'],
      [3, 'three'],
    ]);
    reopened.reset();
    const afterReset = new FileStore(dir);
    expect([afterReset.nextSenderSeqNum(), afterReset.nextTargetSeqNum(), afterReset.sentBetween(1, 10)]).toEqual([1, 1, []]);
  });

  it('keeps its creation time across reopening and sets a new one at reset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fix-store-'));
    dirs.push(dir);
    let now = Date.parse('2026-01-02T10:00:00Z');
    const clock = () => new Date(now);
    expect(new FileStore(dir, { now: clock }).creationTime().toISOString()).toBe('2026-01-02T10:00:00.000Z');
    now += 3_600_000;
    const reopened = new FileStore(dir, { now: clock });
    expect(reopened.creationTime().toISOString()).toBe('2026-01-02T10:00:00.000Z');
    reopened.reset();
    expect(new FileStore(dir, { now: clock }).creationTime().toISOString()).toBe('2026-01-02T11:00:00.000Z');
  });
});

describe('MemoryStore', () => {
  it('sets its creation time when made and at every reset', () => {
    let now = Date.parse('2026-01-02T10:00:00Z');
    const store = new MemoryStore({ now: () => new Date(now) });
    now += 1000;
    expect(store.creationTime().getTime()).toBe(Date.parse('2026-01-02T10:00:00Z'));
    store.reset();
    expect(store.creationTime().getTime()).toBe(now);
  });
});
