import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder, decodeMessage } from './codec.js';
import { FixSession, type FixApplication, type FixLogger, type Responder, type SessionConfig } from './session.js';
import type { DataDictionary } from './dictionary/data-dictionary.js';
import type { MessageStore } from './store.js';
import { MsgType, Tag } from './tags.js';
import { LogonGate, type LogonLimits } from './logon-gate.js';
import { RefusalWarnings } from './refusal-warnings.js';

/** Ties a socket to a session: bytes in become frames for the session, the session's bytes go out. */
function attach(socket: Socket, session: FixSession, decoder: FrameDecoder): void {
  socket.setNoDelay(true);
  const responder: Responder = {
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    disconnect: () => socket.destroy(),
  };
  session.connected(responder);
  // Frames go to the session as bounds in the chunk: no Frame object, no copy.
  socket.on('data', (chunk: Buffer) => decoder.feed(chunk, session));
  socket.once('close', () => {
    if (session.isConnected) session.disconnected(responder);
  });
}

const TICK_MS = 250;
// Ticks judge the peer's silence, so they run after the loop has read the sockets (setImmediate
// follows the poll phase): after a stalled loop, bytes that arrived meanwhile count first.

export interface InitiatorOptions extends Omit<SessionConfig, 'role'> {
  readonly host: string;
  readonly port: number;
  readonly reconnectMs?: number;
  readonly logger?: FixLogger;
}

/** Connects to a venue's acceptor, logs on, and reconnects with back-off until stopped. */
export class FixInitiator {
  readonly session: FixSession;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoffMs: number;

  constructor(
    private readonly options: InitiatorOptions,
    application: FixApplication,
  ) {
    this.session = new FixSession({ ...options, role: 'initiator' }, application);
    this.backoffMs = options.reconnectMs ?? 1000;
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => setImmediate(() => this.session.tick()), TICK_MS);
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    clearInterval(this.timer);
    if (this.session.isLoggedOn) {
      this.session.logout('shutting down');
      await waitFor(() => !this.session.isConnected, 1000);
    }
    await this.session.idle();
    this.socket?.destroy();
    // A write-behind store finishes its writes; a failure was already reported by the session.
    await this.options.store.whenDurable?.().catch(() => undefined);
    this.options.store.close();
  }

  private connect(): void {
    const socket = createConnection({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.once('connect', () => {
      this.backoffMs = this.options.reconnectMs ?? 1000;
      attach(socket, this.session, new FrameDecoder());
    });
    socket.on('error', (error) => this.options.logger?.warn({ session: this.session.id, err: error.message }, 'FIX connection error'));
    socket.once('close', () => {
      if (this.stopped) return;
      this.reconnect = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    });
  }
}

export interface AcceptorSessionOptions {
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly store: MessageStore;
  readonly resetOnLogon?: boolean;
  readonly resetAtUtc?: string;
  readonly dictionary?: DataDictionary;
}

export interface AcceptorOptions extends LogonLimits {
  readonly port: number;
  readonly host?: string;
  readonly sessions: readonly AcceptorSessionOptions[];
  readonly logger?: FixLogger;
  readonly now?: () => Date;
}

/** What a FIX connection's first bytes are: anything else is not worth buffering until the timeout. */
const FIX_START = Buffer.from('8=FIX', 'latin1');

/**
 * Listens for initiators and routes each connection to the session its Logon names. A connection
 * that does not open with a Logon, names unknown CompIDs or a session already connected, or does
 * not log on within the logon timeout is closed; so are connections over the caps on those not
 * logged on yet (per remote address and in all).
 */
export class FixAcceptor {
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly sessions = new Map<string, FixSession>();
  private readonly sockets = new Set<Socket>();
  private readonly warnings: RefusalWarnings;
  private readonly gate: LogonGate;

  constructor(
    private readonly options: AcceptorOptions,
    application: FixApplication,
  ) {
    this.warnings = new RefusalWarnings(options.logger);
    this.gate = new LogonGate(options, this.warnings);
    for (const s of options.sessions) {
      const session = new FixSession(
        {
          senderCompId: s.senderCompId,
          targetCompId: s.targetCompId,
          store: s.store,
          role: 'acceptor',
          heartBtIntSeconds: 30,
          resetOnLogon: s.resetOnLogon,
          resetAtUtc: s.resetAtUtc,
          dictionary: s.dictionary,
          logger: options.logger,
          now: options.now,
          logonTimeoutMs: this.gate.logonTimeoutMs,
        },
        application,
      );
      this.sessions.set(key(s.senderCompId, s.targetCompId), session);
    }
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  session(senderCompId: string, targetCompId: string): FixSession | undefined {
    return this.sessions.get(key(senderCompId, targetCompId));
  }

  allSessions(): FixSession[] {
    return [...this.sessions.values()];
  }

  /** Connections open now that have not logged on. */
  get pendingLogons(): number {
    return this.gate.pending;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.timer = setInterval(
      () =>
        setImmediate(() => {
          for (const session of this.sessions.values()) session.tick();
          this.warnings.sweep();
        }),
      TICK_MS,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const session of this.sessions.values()) if (session.isLoggedOn) session.logout('shutting down');
    await waitFor(() => [...this.sessions.values()].every((s) => !s.isConnected), 1000);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const session of this.sessions.values()) {
      await session.config.store.whenDurable?.().catch(() => undefined);
      session.config.store.close();
    }
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let session: FixSession | undefined;
    const pending = this.gate.admit(socket, () => session?.isLoggedOn === true);
    if (!pending) return;
    const refuse = (message: string, details: object) => {
      this.warnings.warn(pending.address, message, { address: pending.address, ...details });
      socket.destroy();
    };
    const decoder = new FrameDecoder();
    let startChecked = 0;
    const onFirstData = (chunk: Buffer) => {
      // Checked across chunks: the first bytes may come one at a time.
      for (let i = 0; startChecked < FIX_START.length && i < chunk.length; i++, startChecked++) {
        if (chunk[i] !== FIX_START[startChecked]) return refuse('FIX connection opened with bytes that are not FIX; closed', {});
      }
      const frames = decoder.push(chunk);
      const first = frames[0];
      if (!first) return;
      // A connection that opens with a garbled message is not a FIX peer we can talk to.
      if (first.kind === 'garbled') return refuse('FIX connection opened with a garbled message; closed', { reason: first.reason });
      socket.off('data', onFirstData);
      const logon = decodeMessage(first.bytes);
      // Nothing reaches a session before a Logon: a stranger's other messages touch no session state.
      if (logon.msgType !== MsgType.Logon) return refuse('FIX connection opened with a message other than Logon; closed', { msgType: logon.msgType });
      const sender = logon.get(Tag.SenderCompID);
      const target = logon.get(Tag.TargetCompID);
      const named = this.sessions.get(key(target ?? '', sender ?? ''));
      if (!named || named.isConnected)
        return refuse(named ? 'second connection for a connected FIX session refused' : 'FIX logon for unknown CompIDs refused', { sender, target });
      session = named;
      // The same decoder goes on: it holds any partial frame that followed the Logon.
      attach(socket, session, decoder);
      for (const frame of frames) session.onFrame(frame);
      if (session.isLoggedOn) pending.settle();
    };
    socket.on('data', onFirstData);
  }
}

const key = (sender: string, target: string): string => `${sender}->${target}`;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
