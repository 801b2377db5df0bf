import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventStreamParser, readEventStream, type ServerEvent } from '../../web/src/api/event-stream.js';

/** The page's own server-sent events reader (web/src/api/event-stream.ts): it replaces EventSource to send a token. */
describe('event stream parser', () => {
  const parse = (...chunks: string[]): { events: ServerEvent[]; ids: string[] } => {
    const events: ServerEvent[] = [];
    const ids: string[] = [];
    const parser = new EventStreamParser(
      (id) => ids.push(id),
      (event) => events.push(event),
    );
    for (const chunk of chunks) parser.push(chunk);
    return { events, ids };
  };

  it('dispatches an event at each empty line, with its name, its data lines joined and its id', () => {
    const { events, ids } = parse('id: 7-1\nevent: order\ndata: {"a":1}\n\ndata: one\ndata: two\n\n');
    expect(events).toEqual([
      { type: 'order', data: '{"a":1}' },
      { type: 'message', data: 'one\ntwo' },
    ]);
    // The id stays the last event id for the events after it that have none, as in EventSource.
    expect(ids).toEqual(['7-1', '7-1']);
  });

  it('reads fields split anywhere across chunks, and every line end (\\n, \\r\\n, \\r, a \\r\\n split in two)', () => {
    const { events } = parse('ev', 'ent: ord', 'er\r\nda', 'ta: x\r', '\n\r', 'data: y\r\r');
    expect(events).toEqual([
      { type: 'order', data: 'x' },
      { type: 'message', data: 'y' },
    ]);
  });

  it('takes an id without data as the last event id, skips comments, and ignores an id holding NUL', () => {
    const { events, ids } = parse(': keep-alive\n\nid: 9-5\n\nid: bad\0id\ndata:no space\n\n');
    expect(ids).toEqual(['9-5', '9-5']);
    expect(events).toEqual([{ type: 'message', data: 'no space' }]);
  });

  it('holds an event until its empty line arrives', () => {
    expect(parse('data: half\n').events).toEqual([]);
  });
});

describe('event stream reader', () => {
  afterEach(() => vi.unstubAllGlobals());

  const streamOf = (text: string): Response =>
    new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(text)), c.close()) }), { status: 200 });

  it('reconnects after the stream ends with the last event id it had, and gives up on a 4xx as EventSource does', async () => {
    const requests: Record<string, string>[] = [];
    const answers = [streamOf('id: 3-41\nevent: order\ndata: {}\n\n'), new Response(null, { status: 401 })];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      requests.push(init.headers as Record<string, string>);
      return answers.shift()!;
    });
    const events: ServerEvent[] = [];
    const downs: (number | undefined)[] = [];
    const stop = readEventStream({
      url: '/api/v1/orders/stream',
      headers: () => ({ authorization: 'Bearer t' }),
      onEvent: (e) => events.push(e),
      onOpen: () => undefined,
      onDown: (status) => downs.push(status),
    });
    try {
      // The first retry waits a second.
      await vi.waitFor(() => expect(downs).toEqual([undefined, 401]), { timeout: 5_000 });
    } finally {
      stop();
    }
    expect(events).toEqual([{ type: 'order', data: '{}' }]);
    expect(requests[0]).toEqual({ accept: 'text/event-stream', authorization: 'Bearer t' });
    expect(requests[1]).toEqual({ accept: 'text/event-stream', authorization: 'Bearer t', 'last-event-id': '3-41' });
    // Refused: no third try.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(requests).toHaveLength(2);
  });
});
