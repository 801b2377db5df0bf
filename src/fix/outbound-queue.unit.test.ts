import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { OutboundQueue } from './outbound-queue.js';

function connection() {
  const events: string[] = [];
  return { events, send: (bytes: Buffer) => void events.push(`send ${bytes.toString()}`), disconnect: () => void events.push('disconnect') };
}

describe("a session's outbound queue", () => {
  it("gathers a turn's bytes into one chunk and asks for one flush per turn", async () => {
    let flushes = 0;
    const queue = new OutboundQueue({ flush: () => void flushes++, onDurabilityFailed: () => undefined, onError: () => undefined });
    queue.push(Buffer.from('a'));
    queue.push(Buffer.from('b'));
    queue.schedule();
    expect(queue.take()?.toString()).toBe('ab');
    expect(queue.take()).toBeUndefined();
    await nextTurn();
    expect(flushes).toBe(0); // take() came first: the scheduled flush is no longer due
    queue.push(Buffer.from('c'));
    await nextTurn();
    expect(flushes).toBe(1);
    queue.discard();
    expect(queue.take()).toBeUndefined();
  });

  it('sends at once over a store that writes each mutation itself', () => {
    const queue = new OutboundQueue({ flush: () => undefined, onDurabilityFailed: () => undefined, onError: () => undefined });
    const c = connection();
    queue.release(c, () => c.send(Buffer.from('x')));
    expect(c.events).toEqual(['send x']);
  });

  it('over a write-behind store, sends only once it is durable, and disconnects after the bytes before', async () => {
    let durable!: () => void;
    const queue = new OutboundQueue({
      flush: () => undefined,
      whenDurable: () => new Promise<void>((resolve) => (durable = resolve)),
      onDurabilityFailed: () => undefined,
      onError: () => undefined,
    });
    const c = connection();
    queue.release(c, () => c.send(Buffer.from('x')));
    queue.release(c, () => c.disconnect());
    await nextTurn();
    expect(c.events).toEqual([]);
    durable();
    await nextTurn();
    durable();
    await queue.drained();
    expect(c.events).toEqual(['send x', 'disconnect']);
  });

  it('sends nothing whose store write failed, and says so', async () => {
    const failures: unknown[] = [];
    const queue = new OutboundQueue({
      flush: () => undefined,
      whenDurable: () => Promise.reject(new Error('disk full')),
      onDurabilityFailed: (_connection, error) => void failures.push(error),
      onError: () => undefined,
    });
    const c = connection();
    queue.release(c, () => c.send(Buffer.from('x')));
    await queue.drained();
    expect(c.events).toEqual([]);
    expect(failures).toEqual([new Error('disk full')]);
  });
});
