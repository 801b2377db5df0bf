import type { Responder } from './session.js';

/**
 * A session's outgoing bytes: gathered over one event-loop turn and put on the wire in one write,
 * after the store wrote that turn's mutations; with a write-behind store (one that has
 * `whenDurable`), only once they are durable, so no message is on the wire before it is stored.
 * A disconnect queues behind the bytes sent before it.
 */
export class OutboundQueue {
  private pending: Buffer[] = [];
  private timer: NodeJS.Immediate | undefined;
  /** Bytes and disconnects waiting for `whenDurable`, in order. */
  private released: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      /** The session's flush: the store's write, then take() and release(). Runs once per turn with something pending. */
      flush: () => void;
      whenDurable?: () => Promise<void>;
      /** The store could not make a released action's bytes durable: the action is not run, the connection is closed. */
      onDurabilityFailed: (connection: Responder, error: unknown) => void;
      onError: (error: unknown) => void;
    },
  ) {}

  push(bytes: Buffer): void {
    this.pending.push(bytes);
    this.schedule();
  }

  /** The session's flush runs after this turn (something was sent or stored). */
  schedule(): void {
    this.timer ??= setImmediate(this.deps.flush);
  }

  /** This turn's bytes as one chunk (undefined when none); a scheduled flush is no longer due. */
  take(): Buffer | undefined {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const bytes = this.pending;
    this.pending = [];
    if (bytes.length === 0) return undefined;
    return bytes.length === 1 ? bytes[0] : Buffer.concat(bytes);
  }

  /** Bytes for a connection that is gone; what they carried is stored (the next flush writes it). */
  discard(): void {
    this.pending = [];
  }

  /** Runs `action` on `connection` now, or, with a write-behind store, once what is stored so far is durable. */
  release(connection: Responder, action: () => void): void {
    const whenDurable = this.deps.whenDurable;
    if (!whenDurable) return action();
    this.released = this.released
      .then(whenDurable)
      .then(action, (error: unknown) => this.deps.onDurabilityFailed(connection, error))
      .catch(this.deps.onError);
  }

  /** Resolves once everything released so far went out (or failed). */
  drained(): Promise<void> {
    return this.released;
  }
}
