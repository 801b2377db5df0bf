export { FileStore } from './file-store.js';

/**
 * What a session must not forget: the next sequence numbers both ways and the messages it sent
 * (to answer a ResendRequest). The session reserves a sequence number only once the message is
 * stored, so a failed send never leaves a hole.
 */
export interface MessageStore {
  nextSenderSeqNum(): number;
  nextTargetSeqNum(): number;
  /** Stores the encoded message under `seqNum` and sets the next sender number to seqNum + 1. */
  storeSent(seqNum: number, message: Buffer): void;
  setNextTargetSeqNum(seqNum: number): void;
  setNextSenderSeqNum(seqNum: number): void;
  /** Sent messages with sequence numbers in [begin, end], in order. */
  sentBetween(begin: number, end: number): { seqNum: number; message: Buffer }[];
  /** Drops the sent messages, sets both numbers to 1 and the creation time to now. */
  reset(): void;
  close(): void;
  /** When the store was created or last reset; a daily session schedule resets a store older than its boundary. */
  creationTime?(): Date;
  /**
   * For a write-behind store: resolves once every mutation made so far is durable, rejects if a
   * write failed. The session puts bytes on the wire only after it resolved.
   */
  whenDurable?(): Promise<void>;
  /**
   * For a batching store: mutations change what the store answers at once but are written only
   * here, all together (the session calls it once per event-loop turn, before that turn's bytes
   * go on the wire). Throws if the write failed, and at every later flush with something to write
   * (what the store answers is then ahead of what it wrote). A store without it writes each
   * mutation itself.
   */
  flush?(): void;
}

export interface StoreOptions {
  /** The clock for the creation time (tests share it with the session's). */
  readonly now?: () => Date;
}

export class MemoryStore implements MessageStore {
  private sender = 1;
  private target = 1;
  private readonly sent = new Map<number, Buffer>();
  private readonly now: () => Date;
  private created: Date;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.created = this.now();
  }

  creationTime(): Date {
    return this.created;
  }

  nextSenderSeqNum(): number {
    return this.sender;
  }

  nextTargetSeqNum(): number {
    return this.target;
  }

  storeSent(seqNum: number, message: Buffer): void {
    this.sent.set(seqNum, message);
    this.sender = seqNum + 1;
  }

  setNextTargetSeqNum(seqNum: number): void {
    this.target = seqNum;
  }

  setNextSenderSeqNum(seqNum: number): void {
    this.sender = seqNum;
  }

  sentBetween(begin: number, end: number): { seqNum: number; message: Buffer }[] {
    const found: { seqNum: number; message: Buffer }[] = [];
    for (let seq = begin; seq <= end && seq < this.sender; seq++) {
      const message = this.sent.get(seq);
      if (message) found.push({ seqNum: seq, message });
    }
    return found;
  }

  reset(): void {
    this.sender = 1;
    this.target = 1;
    this.sent.clear();
    this.created = this.now();
  }

  close(): void {}
}
