import { FileStore, FixInitiator, type FixMessage, type OutgoingFix } from '../../src/fix/index.js';

/** Matches an ExecutionReport for `clOrdId` (11) with ExecType (150) `execType`. */
export const isReport = (clOrdId: string, execType: string) => (m: FixMessage) => m.msgType === '8' && m.get(11) === clOrdId && m.get(150) === execType;

/**
 * A FIX client made of the project's own engine, as the venue adapter initiates its sessions:
 * its store under `storeDir` survives a stop, so a new client on the same directory resumes the
 * session (and asks for what it missed).
 */
export class TestFixClient {
  readonly received: FixMessage[] = [];
  private readonly initiator: FixInitiator;

  /** `resetOnLogon`: log on with ResetSeqNumFlag, starting a new sequence series (a new FIX day) on both sides. */
  constructor(port: number, senderCompId: string, targetCompId: string, storeDir: string, options: { resetOnLogon?: boolean } = {}) {
    const keep = (message: FixMessage) => void this.received.push(message);
    this.initiator = new FixInitiator(
      { host: '127.0.0.1', port, senderCompId, targetCompId, heartBtIntSeconds: 5, store: new FileStore(storeDir), reconnectMs: 100, ...options },
      { fromApp: keep, onReject: keep },
    );
  }

  async start(): Promise<void> {
    await this.initiator.start();
    await this.initiator.session.loggedOn();
  }

  async stop(): Promise<void> {
    await this.initiator.stop();
  }

  send(message: OutgoingFix): number {
    return this.initiator.session.send(message);
  }

  /** The first message received (or to come) that satisfies `match`. */
  async waitFor(match: (m: FixMessage) => boolean, timeoutMs = 15_000): Promise<FixMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching FIX message; received: ${this.received.map((m) => m.fields.map(([t, v]) => `${t}=${v}`).join('|')).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Application messages about one ClOrdID (11 or 41), in order of arrival. */
  about(clOrdId: string): FixMessage[] {
    return this.received.filter((m) => m.get(11) === clOrdId || m.get(41) === clOrdId);
  }
}
