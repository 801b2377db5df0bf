import { connect, type Socket } from 'node:net';
import { checksumOf, decodeMessage, fixTimestamp, FrameDecoder } from '../../src/fix/index.js';

/**
 * Plays one QuickFIX acceptance-test script (the `.def` format described in
 * shared/conformance/quickfix-at/README.md) against an acceptor listening on `port`.
 * Resolves with undefined when the acceptor behaved as the script expects, else with why not.
 */

const SOH = '\x01';
const EXPECT_TIMEOUT_MS = 12_000;
const DISCONNECT_TIMEOUT_MS = 10_000;

type Step =
  | { line: number; connection: number; kind: 'connect' | 'disconnect' | 'expect-disconnect' }
  | { line: number; connection: number; kind: 'send' | 'expect'; message: string };

export function parseScript(text: string): Step[] {
  const steps: Step[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const match = /^([ieIE])(?:(\d+),)?(.*)$/.exec(line);
    if (!match) throw new Error(`line ${index + 1}: not a script line: ${line}`);
    const [, action, connectionText, rest = ''] = match;
    const connection = Number(connectionText ?? 1);
    const at = index + 1;
    if (action === 'i' && rest === 'CONNECT') steps.push({ line: at, connection, kind: 'connect' });
    else if (action === 'i' && rest === 'DISCONNECT') steps.push({ line: at, connection, kind: 'disconnect' });
    else if (action === 'e' && rest === 'DISCONNECT') steps.push({ line: at, connection, kind: 'expect-disconnect' });
    else if (action === 'I') steps.push({ line: at, connection, kind: 'send', message: rest });
    else if (action === 'E') steps.push({ line: at, connection, kind: 'expect', message: rest });
    else throw new Error(`line ${at}: unknown action ${action}${rest}`);
  });
  return steps;
}

type Fields = [tag: string, value: string][];

function fieldsOf(text: string): Fields {
  return text
    .split(SOH)
    .filter((f) => f !== '')
    .map((f) => {
      const eq = f.indexOf('=');
      return [f.slice(0, eq), f.slice(eq + 1)];
    });
}

/** Fills in <TIME±N>, BodyLength and CheckSum as the README says (10 without 9 stays garbled). */
export function prepareOutgoing(template: string, now: Date): Buffer {
  // Whole seconds, as QuickFIX's runner writes them (an echoed TransactTime keeps the expected length).
  const text = template.replace(/<TIME([+-]\d+)?>/g, (_, shift: string | undefined) =>
    fixTimestamp(new Date(now.getTime() + Number(shift ?? 0) * 1000)).slice(0, 17),
  );
  const fields = fieldsOf(text);
  const has = (tag: string) => fields.some(([t]) => t === tag);
  if (has('10')) return Buffer.from(text.endsWith(SOH) ? text : text + SOH, 'latin1');
  const body = fields
    .filter(([t]) => t !== '8' && t !== '9')
    .map(([t, v]) => `${t}=${v}${SOH}`)
    .join('');
  const bodyLength = has('9') ? fields.find(([t]) => t === '9')![1] : String(body.length);
  const framed = `8=${fields[0]![1]}${SOH}9=${bodyLength}${SOH}${body}`;
  return Buffer.from(`${framed}10=${checksumOf(framed)}${SOH}`, 'latin1');
}

/** Compares every field and the tag order; 9 and 10 only when the script gives them. */
export function compareMessage(expected: string, actual: Buffer, patterns: ReadonlyMap<string, RegExp>): string | undefined {
  const want = fieldsOf(expected);
  const got = decodeMessage(actual).fields.map(([t, v]) => [String(t), v] as [string, string]);
  const wanted = new Set(want.map(([t]) => t));
  const comparable = got.filter(([t]) => wanted.has(t) || (t !== '9' && t !== '10'));
  const show = (f: Fields) => f.map(([t, v]) => `${t}=${v}`).join('|');
  if (comparable.length !== want.length || comparable.some(([t], i) => t !== want[i]![0])) return `expected ${show(want)} got ${show(got)}`;
  for (let i = 0; i < want.length; i++) {
    const [tag, value] = want[i]!;
    const actualValue = comparable[i]![1];
    const pattern = patterns.get(tag);
    const ok = pattern ? pattern.test(actualValue) : actualValue === value;
    if (!ok) return `tag ${tag}: expected ${value} got ${actualValue} (${show(got)})`;
  }
  return undefined;
}

export function loadPatterns(text: string): Map<string, RegExp> {
  const patterns = new Map<string, RegExp>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    // Searched, not anchored: 52=\d{8}-\d{2}:\d{2}:\d{2} also accepts a time with milliseconds.
    if (eq > 0) patterns.set(line.slice(0, eq), new RegExp(line.slice(eq + 1).trim()));
  }
  return patterns;
}

class Connection {
  private readonly decoder = new FrameDecoder();
  private readonly inbox: Buffer[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) this.inbox.push(frame.bytes);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  async next(timeoutMs: number): Promise<Buffer | 'closed' | 'timeout'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.inbox.shift();
      if (message) return message;
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

export async function runScript(text: string, port: number, patterns: ReadonlyMap<string, RegExp>): Promise<string | undefined> {
  const connections = new Map<number, Connection>();
  try {
    for (const step of parseScript(text)) {
      const where = `line ${step.line}`;
      switch (step.kind) {
        case 'connect':
          connections.set(step.connection, await Connection.open(port));
          break;
        case 'disconnect':
          connections.get(step.connection)?.socket.destroy();
          break;
        case 'send':
          connections.get(step.connection)?.socket.write(prepareOutgoing(step.message, new Date()));
          break;
        case 'expect': {
          const received = await connections.get(step.connection)!.next(EXPECT_TIMEOUT_MS);
          if (received === 'closed' || received === 'timeout')
            return `${where}: expected a message, the connection ${received === 'closed' ? 'closed' : 'stayed silent'}`;
          const mismatch = compareMessage(step.message, received, patterns);
          if (mismatch) return `${where}: ${mismatch}`;
          break;
        }
        case 'expect-disconnect': {
          const received = await connections.get(step.connection)!.next(DISCONNECT_TIMEOUT_MS);
          if (received === 'timeout') return `${where}: expected a disconnect, the connection stayed open`;
          if (received !== 'closed') return `${where}: expected a disconnect, got ${received.toString('latin1').replaceAll(SOH, '|')}`;
          break;
        }
      }
    }
    return undefined;
  } finally {
    for (const connection of connections.values()) connection.socket.destroy();
  }
}
