/** One server-sent event: its `event:` name (`message` when none) and its data. */
export interface ServerEvent {
  readonly type: string;
  readonly data: string;
}

export interface EventStreamOptions {
  readonly url: string;
  /** Headers for each connection, read again at each reconnect (a token may change). */
  headers(): Record<string, string>;
  onEvent(event: ServerEvent): void;
  onOpen(): void;
  /** The connection failed or ended; `status` when the server answered other than 200. */
  onDown(status?: number): void;
}

/** Never from the HTTP cache. A spread, since Node's RequestInit type (the unit tests compile this file with it) has no `cache`. */
const NO_STORE = { cache: 'no-store' } as const;

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 10_000;

/**
 * Server-sent events read with fetch, as EventSource reads them, because EventSource cannot send an
 * Authorization header. Like EventSource it reconnects by itself and sends the last event id it had
 * as Last-Event-ID, so the server can replay what was missed. It gives up, as EventSource does, when
 * the server refuses the request (4xx other than 429): a token that expired is not retried forever.
 */
export function readEventStream(options: EventStreamOptions): () => void {
  const stop = new AbortController();
  let lastEventId = '';
  let retryMs = FIRST_RETRY_MS;

  const connectOnce = async (): Promise<'retry' | 'give-up'> => {
    const response = await fetch(options.url, {
      headers: { accept: 'text/event-stream', ...options.headers(), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      ...NO_STORE,
      signal: stop.signal,
    });
    if (!response.ok || !response.body) {
      options.onDown(response.status);
      return response.status >= 400 && response.status < 500 && response.status !== 429 ? 'give-up' : 'retry';
    }
    options.onOpen();
    retryMs = FIRST_RETRY_MS;
    const parser = new EventStreamParser((id) => (lastEventId = id), options.onEvent);
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    options.onDown();
    return 'retry';
  };

  void (async () => {
    while (!stop.signal.aborted) {
      try {
        if ((await connectOnce()) === 'give-up') return;
      } catch {
        if (stop.signal.aborted) return;
        options.onDown();
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  })();
  return () => stop.abort();
}

/**
 * The text/event-stream format (HTML's server-sent events): `field: value` lines, an empty line
 * dispatches. An event's id becomes the last event id even when it carries no data: the server
 * sends one so that a stream dropped before any update still resumes from where it began.
 */
export class EventStreamParser {
  private pending = '';
  /** The text so far ended in \r: a \n first in the next chunk is the rest of that line end. */
  private afterCr = false;
  private type = '';
  private data: string[] = [];
  private id: string | undefined;

  constructor(
    private readonly setLastEventId: (id: string) => void,
    private readonly dispatch: (event: ServerEvent) => void,
  ) {}

  push(chunk: string): void {
    const text = this.afterCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    this.afterCr = text.endsWith('\r');
    const lines = (this.pending + text).split(/\r\n|\r|\n/);
    // The last piece has no line end yet ('' right after one).
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') return this.end();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private end(): void {
    if (this.id !== undefined) this.setLastEventId(this.id);
    if (this.data.length > 0) this.dispatch({ type: this.type || 'message', data: this.data.join('\n') });
    this.type = '';
    this.data = [];
  }
}
