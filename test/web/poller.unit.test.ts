import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller } from '../../web/src/lib/poller.js';

/** The polling behind the page's market, positions, execution quality and risk views (web/src/lib/poller.ts). */
describe('poller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A read per call, each answered by hand: `answer(i, value)` or `fail(i, error)`. */
  function reads() {
    const pending: { resolve(value: string): void; reject(error: unknown): void }[] = [];
    const read = vi.fn(() => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })));
    return {
      read,
      answer: async (i: number, value: string) => {
        pending[i]!.resolve(value);
        await vi.advanceTimersByTimeAsync(0);
      },
      fail: async (i: number, error: unknown) => {
        pending[i]!.reject(error);
        await vi.advanceTimersByTimeAsync(0);
      },
    };
  }

  it('reads at once and then every interval, and stops reading on stop()', async () => {
    const values: string[] = [];
    const { read, answer } = reads();
    const poller = new Poller({ read, onValue: (v) => values.push(v), everyMs: 500 });
    poller.start();
    expect(read).toHaveBeenCalledTimes(1);
    await answer(0, 'a');
    await vi.advanceTimersByTimeAsync(500);
    expect(read).toHaveBeenCalledTimes(2);
    await answer(1, 'b');
    expect(values).toEqual(['a', 'b']);
    poller.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('never overlaps a read in flight: the ticks meanwhile are dropped, the next tick after its answer reads', async () => {
    const values: string[] = [];
    const { read, answer } = reads();
    const poller = new Poller({ read, onValue: (v) => values.push(v), everyMs: 500 });
    poller.start();
    await vi.advanceTimersByTimeAsync(1_600);
    expect(read).toHaveBeenCalledTimes(1);
    await answer(0, 'slow');
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(read).toHaveBeenCalledTimes(2);
    await answer(1, 'next');
    expect(values).toEqual(['slow', 'next']);
    poller.stop();
  });

  it('refresh() during a read waits for it, then reads once for all calls meanwhile, and resolves after that answer', async () => {
    const values: string[] = [];
    const { read, answer } = reads();
    const poller = new Poller({ read, onValue: (v) => values.push(v), everyMs: 5_000 });
    poller.start();
    let refreshed = 0;
    const first = poller.refresh().then(() => refreshed++);
    const second = poller.refresh().then(() => refreshed++);
    expect(read).toHaveBeenCalledTimes(1);
    await answer(0, 'before the change');
    expect(read).toHaveBeenCalledTimes(2);
    expect(refreshed).toBe(0);
    await answer(1, 'after the change');
    await Promise.all([first, second]);
    expect(refreshed).toBe(2);
    expect(values).toEqual(['before the change', 'after the change']);
    // With nothing in flight, refresh reads at once.
    const third = poller.refresh();
    expect(read).toHaveBeenCalledTimes(3);
    await answer(2, 'now');
    await third;
    expect(values.at(-1)).toBe('now');
    poller.stop();
  });

  it('passes an error to onError and keeps polling', async () => {
    const errors: unknown[] = [];
    const values: string[] = [];
    const { read, answer, fail } = reads();
    const poller = new Poller({ read, onValue: (v) => values.push(v), onError: (e) => errors.push(e), everyMs: 500 });
    poller.start();
    await fail(0, new Error('503'));
    expect(errors).toEqual([new Error('503')]);
    await vi.advanceTimersByTimeAsync(500);
    await answer(1, 'back');
    expect(values).toEqual(['back']);
    poller.stop();
  });

  it('delivers nothing after stop(), not even the answer or error of a read in flight', async () => {
    const onValue = vi.fn();
    const onError = vi.fn();
    const { read, answer, fail } = reads();
    const poller = new Poller({ read, onValue, onError, everyMs: 500 });
    poller.start();
    poller.stop();
    await answer(0, 'late');
    const second = new Poller({ read, onValue, onError, everyMs: 500 });
    second.start();
    second.stop();
    await fail(1, new Error('late'));
    expect(onValue).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
    await expect(second.refresh()).resolves.toBeUndefined();
    expect(read).toHaveBeenCalledTimes(2);
  });
});
