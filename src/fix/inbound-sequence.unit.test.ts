import { describe, expect, it } from 'vitest';
import { InboundSequence } from './inbound-sequence.js';
import type { FixMessage } from './message.js';

function sequence() {
  const persisted: number[] = [];
  const failures: unknown[] = [];
  const inbound = new InboundSequence({ persist: (next) => void persisted.push(next), onApplicationFailed: (error) => void failures.push(error) });
  return { inbound, persisted, failures };
}

describe('the inbound sequence', () => {
  it('persists a number at once when nothing is pending, and in order behind a message still being handled', async () => {
    const { inbound, persisted } = sequence();
    inbound.advanceTo(2);
    expect(persisted).toEqual([2]);
    let release!: () => void;
    inbound.advanceTo(3, new Promise<void>((resolve) => (release = resolve)));
    inbound.advanceTo(4);
    expect(inbound.expected).toBe(4);
    expect(persisted).toEqual([2]);
    release();
    await inbound.whenPersisted();
    expect(persisted).toEqual([2, 3, 4]);
  });

  it('persists nothing after a message the application failed on, and says so once', async () => {
    const { inbound, persisted, failures } = sequence();
    inbound.advanceTo(2, Promise.reject(new Error('broker down')));
    inbound.advanceTo(3, Promise.reject(new Error('again')));
    inbound.advanceTo(4);
    await inbound.whenPersisted();
    expect(persisted).toEqual([]);
    expect(failures).toEqual([new Error('broker down')]);
    // A new connection starts clean from the store's number.
    inbound.restartAt(2);
    inbound.advanceTo(3);
    await inbound.whenPersisted();
    expect(persisted).toEqual([3]);
  });

  it('drops what was still being persisted for the old sequence when both sides start again at 1', async () => {
    const { inbound, persisted } = sequence();
    let release!: () => void;
    inbound.advanceTo(8, new Promise<void>((resolve) => (release = resolve)));
    inbound.resetToOne();
    expect(inbound.expected).toBe(1);
    release();
    await inbound.whenPersisted();
    expect(persisted).toEqual([]);
  });

  it('hands held messages over in order once the gap closes, and forgets duplicates below it', () => {
    const { inbound } = sequence();
    inbound.restartAt(5);
    const seven = { msgType: 'D' } as FixMessage;
    inbound.hold(7, seven);
    inbound.hold(6, null);
    inbound.hold(3, { msgType: 'D' } as FixMessage);
    expect(inbound.takeNext()).toBeUndefined();
    inbound.advanceTo(6);
    expect(inbound.takeNext()).toBeNull();
    inbound.advanceTo(7);
    expect(inbound.takeNext()).toBe(seven);
    inbound.advanceTo(8);
    expect(inbound.takeNext()).toBeUndefined();
    inbound.forgetPassed();
    // Number 3 came again after the gap closed: forgotten, not handed over when 3 is next again.
    inbound.resetToOne();
    inbound.advanceTo(3);
    expect(inbound.takeNext()).toBeUndefined();
  });

  it('asks for a gap once while the open-ended request covers it', () => {
    const { inbound } = sequence();
    expect(inbound.needsResendRequest(5, 9)).toBe(true);
    expect(inbound.needsResendRequest(7, 12)).toBe(false);
    expect(inbound.needsResendRequest(13, 15)).toBe(true);
  });
});
