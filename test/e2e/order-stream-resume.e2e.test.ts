import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinal, postOrder, startTestSystem, waitForOrder } from '../support/embedded.js';

let system: Awaited<ReturnType<typeof startTestSystem>>;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.cleanUp();
});

interface StreamEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string | undefined;
}

/**
 * Reads the order stream of one account as a client would, until `enough` says so (or 10 s
 * pass), then disconnects; `lastEventId` is sent as EventSource sends it on a reconnect.
 */
async function readStream(accountId: string, enough: (events: readonly StreamEvent[]) => boolean, lastEventId?: string): Promise<StreamEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  const response = await fetch(`${system.url}/api/v1/orders/stream?accountId=${accountId}`, {
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body!) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      const blocks = buffered.split('\n\n');
      buffered = blocks.pop() ?? '';
      for (const block of blocks) {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        if (!block.startsWith(':')) events.push({ id: field('id'), event: field('event'), data: field('data') });
      }
      if (enough(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

const orderEvents = (events: readonly StreamEvent[]) =>
  events.filter((e) => e.event === 'order').map((e) => JSON.parse(e.data!) as { orderId: string; status: string; version: number });

describe('the order stream resumes with Last-Event-ID', () => {
  it('replays the updates a client missed while away, in order, then goes on live', async () => {
    const account = 'ACC-RESUME';
    // Connected, then away before any update: the id the stream starts with is what it resumes from.
    const [first] = await readStream(account, (events) => events.length > 0);
    expect(first?.event).toBeUndefined();
    expect(first?.id).toMatch(/^[0-9a-z]+-\d+$/);

    const { status, json } = await postOrder(system.url, {
      clientOrderId: `RESUME-${Date.now()}`,
      accountId: account,
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 100,
      timeInForce: 'DAY',
    });
    expect(status).toBe(201);
    const orderId = json.orderId as string;
    const final = await waitForOrder(system.url, orderId, isFinal);
    expect(final.status).toBe('FILLED');

    const resumed = await readStream(account, (events) => orderEvents(events).some((o) => o.orderId === orderId && o.status === 'FILLED'), first!.id);
    const missed = orderEvents(resumed).filter((o) => o.orderId === orderId);
    expect(missed.at(-1)?.status).toBe('FILLED');
    // Every state it went through, once each and in order.
    const versions = missed.map((o) => o.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(missed.length).toBeGreaterThanOrEqual(2);
    // Ids grow with each update, and the replayed updates come before anything live.
    const ids = resumed.filter((e) => e.event === 'order').map((e) => Number(e.id!.split('-')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // Resuming from the last one: nothing is replayed twice.
    const lastId = resumed.filter((e) => e.event === 'order').at(-1)!.id!;
    const again = await readStream(account, (events) => events.some((e) => e.event === undefined), lastId);
    expect(again.map((e) => e.event)).toEqual([undefined]);
  });

  it('tells a client whose id it cannot resume from (another process, or too old) to read the orders again', async () => {
    const events = await readStream('ACC-RESUME', (received) => received.length > 0, 'another-process-7');
    expect(events[0]).toEqual({ id: undefined, event: 'reset', data: '{}' });
  });
});

describe('the order stream at shutdown', () => {
  it('is ended by the server as it stops, so the stop does not wait for the client to go', { timeout: 60_000 }, async () => {
    const own = await startTestSystem();
    let stopped = false;
    try {
      const response = await fetch(`${own.url}/api/v1/orders/stream`);
      const reader = response.body!.getReader();
      await reader.read(); // connected
      const started = performance.now();
      await own.cleanUp();
      stopped = true;
      expect(performance.now() - started).toBeLessThan(5_000);
      // The client sees its stream end (and would reconnect with its last id).
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    } finally {
      if (!stopped) await own.cleanUp();
    }
  });
});
