import type { FixMessage } from './message.js';

/**
 * The inbound side of a session's sequencing (QuickFIX's gap handling): the next number expected,
 * the messages that arrived ahead of a gap, the resend asked for, and the persisting of each
 * number once its message was handled. Numbers are persisted in order, each only after its
 * application callback (and every earlier one) resolved, so a message the application failed on
 * is asked for again after a reconnect.
 */
export class InboundSequence {
  private next = 1;
  /** Messages that arrived ahead of a gap, by sequence number; null marks one already handled. */
  private readonly queued = new Map<number, FixMessage | null>();
  private resendRequestedUpTo = 0;
  /** Persists inbound numbers in order, each once its message's application callback resolved. */
  private persisting: Promise<void> = Promise.resolve();
  /** Numbers waiting in `persisting`; none: the next one is persisted at once. */
  private persistsPending = 0;
  /** Bumped by a sequence reset, so a number persisted for the old sequence cannot land after it. */
  private generation = 0;
  private failed = false;

  constructor(
    private readonly deps: {
      /** Stores `next` as the next inbound number (the store's copy trails `expected`). */
      persist: (next: number) => void;
      /** The application failed on a message: nothing after it is persisted; the session drops. */
      onApplicationFailed: (error: unknown) => void;
    },
  ) {}

  /** The next inbound sequence number expected. */
  get expected(): number {
    return this.next;
  }

  /** A new connection: expect `next` (the store's), nothing queued or asked for, no failure. */
  restartAt(next: number): void {
    this.next = next;
    this.failed = false;
    this.queued.clear();
    this.resendRequestedUpTo = 0;
  }

  /** Both sides start again at 1: what is still being persisted for the old sequence is void. */
  resetToOne(): void {
    this.generation++;
    this.next = 1;
  }

  /** Expects `next` from now on, and persists it once `handled` (and everything before) is done. */
  advanceTo(next: number, handled?: void | Promise<void>): void {
    this.next = next;
    const generation = this.generation;
    // Nothing to wait for: persisted now, without a promise.
    if (!isThenable(handled) && this.persistsPending === 0) return this.persisted(next, generation);
    // Awaited below, unless an earlier message already failed: then its rejection must not go
    // unhandled (Node would end the process); the peer resends it after the reconnect.
    if (isThenable(handled)) handled.then(undefined, ignore);
    this.persistsPending++;
    this.persisting = this.persisting
      .then(() => handled)
      .then(
        () => {
          this.persistsPending--;
          this.persisted(next, generation);
        },
        (error: unknown) => {
          this.persistsPending--;
          this.applicationFailedWith(error);
        },
      );
  }

  /** Resolves once every number advanced to so far is persisted (or given up on). */
  whenPersisted(): Promise<void> {
    return this.persisting;
  }

  /** A message (or null: one already handled) that arrived ahead of the next expected. */
  hold(seqNum: number, message: FixMessage | null): void {
    this.queued.set(seqNum, message);
  }

  /** The held message now next in line (null: handled already), or undefined when none is. */
  takeNext(): FixMessage | null | undefined {
    const message = this.queued.get(this.next);
    if (message !== undefined) this.queued.delete(this.next);
    return message;
  }

  /** Anything held below the next number was a duplicate delivery: forgotten. */
  forgetPassed(): void {
    for (const seq of this.queued.keys()) if (seq < this.next) this.queued.delete(seq);
  }

  /**
   * Notes a gap begin..end; true when a ResendRequest must go out. The request is open-ended
   * (EndSeqNo 0), so while it is unanswered a later gap is already covered.
   */
  needsResendRequest(begin: number, end: number): boolean {
    const pending = this.resendRequestedUpTo >= begin;
    this.resendRequestedUpTo = Math.max(this.resendRequestedUpTo, end);
    return !pending;
  }

  private persisted(next: number, generation: number): void {
    if (this.failed || generation !== this.generation) return;
    this.deps.persist(next);
  }

  private applicationFailedWith(error: unknown): void {
    if (this.failed) return;
    // Not persisted: after reconnecting, the peer resends this message and what followed.
    this.failed = true;
    this.deps.onApplicationFailed(error);
  }
}

const ignore = (): undefined => undefined;

const isThenable = (value: unknown): value is Promise<void> => typeof (value as Promise<void> | undefined)?.then === 'function';
