import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A write that waits until the test lets it finish, recording each batch it was given. */
function controlledWrites() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const write = (items: readonly number[]) =>
    new Promise<readonly string[]>((resolve) => {
      batches.push([...items]);
      finish.push(() => resolve(items.map((n) => `ok ${n}`)));
    });
  return {
    batches,
    write,
    finishNext: async () => {
      finish.shift()!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('GroupCommit', () => {
  it('writes a lone item at once and batches what arrives while a write is in flight', async () => {
    const { batches, write, finishNext } = controlledWrites();
    const commit = new GroupCommit(write);
    const results = [1, 2, 3].map((n) => commit.submit(n));
    expect(batches).toEqual([[1]]);
    await finishNext();
    expect(batches).toEqual([[1], [2, 3]]);
    await finishNext();
    expect(await Promise.all(results)).toEqual(['ok 1', 'ok 2', 'ok 3']);
  });

  it('starts a second write only once enough items wait for one', async () => {
    const { batches, write, finishNext } = controlledWrites();
    const commit = new GroupCommit(write, { maxInFlight: 2, extraWriteMinBatch: 3 });
    const all = [commit.submit(1), commit.submit(2), commit.submit(3)];
    expect(batches).toEqual([[1]]); // two waiting: not enough for a second write
    all.push(commit.submit(4));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    all.push(commit.submit(5)); // both writes in flight: it waits
    expect(batches).toHaveLength(2);
    await finishNext();
    expect(batches).toHaveLength(2); // one in flight, one waiting: still not enough for another
    await finishNext();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    await finishNext();
    expect(await Promise.all(all)).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4', 'ok 5']);
    await commit.drain();
  });

  it('fails every item of a failed write, and only those', async () => {
    let calls = 0;
    const commit = new GroupCommit(async (items: readonly number[]) => {
      calls++;
      if (calls === 1) throw new Error('database down');
      return items.map(String);
    });
    const first = commit.submit(1);
    const second = commit.submit(2);
    await expect(first).rejects.toThrow('database down');
    await expect(second).resolves.toBe('2');
  });
});
