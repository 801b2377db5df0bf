import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

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

const NEWLINE = Buffer.from('\n', 'latin1');

/**
 * A durable store in a directory: `messages` is an append-only log of sent messages
 * (`seq length\n bytes \n`), sequence numbers (`SEQ sender target\n`) and resets (`RESET\n`).
 * Mutations are batched: flush() appends all of them in one write, ending with the numbers, and
 * the session calls it before the batch's bytes go on the wire, so a killed process (kill -9)
 * restarts with the right numbers and can replay what it sent. No fsync: like the embedded
 * database, it survives a process crash, not a power loss. A failed write breaks the store for
 * good (memory is ahead of the file): later flushes throw until it is reopened. `created` holds the
 * creation time (ISO text), for a daily session schedule. A `seqnums` file of the earlier format
 * (both numbers, rewritten in place) is read once and replaced by a record in the log.
 */
export class FileStore implements MessageStore {
  private readonly logFd: number;
  private readonly memory = new MemoryStore();
  private readonly createdPath: string;
  private readonly now: () => Date;
  private created: Date;
  /** Records not written yet, and whether the numbers changed since the last write. */
  private pending: Buffer[] = [];
  private numbersChanged = false;
  private failure: { error: unknown } | undefined;
  private closed = false;

  constructor(directory: string, options: StoreOptions = {}) {
    mkdirSync(directory, { recursive: true });
    this.now = options.now ?? (() => new Date());
    this.createdPath = join(directory, 'created');
    const createdText = existsSync(this.createdPath) ? readFileSync(this.createdPath, 'latin1').trim() : '';
    this.created = new Date(createdText);
    if (!createdText || Number.isNaN(this.created.getTime())) this.writeCreationTime();
    const legacyPath = join(directory, 'seqnums');
    const logPath = join(directory, 'messages');
    const logData = existsSync(logPath) ? readFileSync(logPath) : Buffer.alloc(0);
    this.logFd = openSync(logPath, 'a');
    const { numbers, goodLength } = this.replayLog(logData);
    // A torn last record (crash mid-write) is cut off, so later records are not appended after it.
    if (goodLength < logData.length) ftruncateSync(this.logFd, goodLength);
    const legacy = existsSync(legacyPath);
    const [sender, target] = numbers ?? (legacy ? readFileSync(legacyPath, 'latin1').trim().split(/\s+/).map(Number) : []);
    this.memory.setNextSenderSeqNum(Math.max(sender || 1, this.memory.nextSenderSeqNum()));
    this.memory.setNextTargetSeqNum(target || 1);
    if (legacy) {
      this.numbersChanged = true;
      this.flush();
      unlinkSync(legacyPath);
    }
  }

  nextSenderSeqNum(): number {
    return this.memory.nextSenderSeqNum();
  }

  nextTargetSeqNum(): number {
    return this.memory.nextTargetSeqNum();
  }

  storeSent(seqNum: number, message: Buffer): void {
    this.memory.storeSent(seqNum, message);
    this.pending.push(Buffer.from(`${seqNum} ${message.length}\n`, 'latin1'), message, NEWLINE);
    this.numbersChanged = true;
  }

  setNextTargetSeqNum(seqNum: number): void {
    this.memory.setNextTargetSeqNum(seqNum);
    this.numbersChanged = true;
  }

  setNextSenderSeqNum(seqNum: number): void {
    this.memory.setNextSenderSeqNum(seqNum);
    this.numbersChanged = true;
  }

  sentBetween(begin: number, end: number): { seqNum: number; message: Buffer }[] {
    return this.memory.sentBetween(begin, end);
  }

  creationTime(): Date {
    return this.created;
  }

  /** Written at once (with what was pending before it), so the creation time never runs ahead of it. */
  reset(): void {
    this.memory.reset();
    this.pending.push(Buffer.from('RESET\n', 'latin1'));
    this.numbersChanged = true;
    try {
      this.flush();
    } catch {
      return; // The store is broken now; the session's next flush reports it.
    }
    // Written after the reset itself: a crash in between leaves the old time, so the schedule resets again (harmless).
    this.writeCreationTime();
  }

  flush(): void {
    if (this.pending.length === 0 && !this.numbersChanged) return;
    if (this.failure) throw this.failure.error;
    if (this.numbersChanged) {
      this.pending.push(Buffer.from(`SEQ ${this.memory.nextSenderSeqNum()} ${this.memory.nextTargetSeqNum()}\n`, 'latin1'));
      this.numbersChanged = false;
    }
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    try {
      for (let written = 0; written < data.length; ) written += writeSync(this.logFd, data, written);
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }

  /** Writes what is pending; a failure reported before is not thrown again. Later flushes throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.failure) this.flush();
    } finally {
      // The descriptor's number may be reused by another file: nothing may write to it any more.
      this.failure ??= { error: new Error('FIX store closed') };
      closeSync(this.logFd);
    }
  }

  private writeCreationTime(): void {
    this.created = this.now();
    writeFileSync(this.createdPath, `${this.created.toISOString()}\n`, 'latin1');
  }

  /**
   * Rebuilds the sent messages from the log; returns the last numbers recorded since the last reset
   * and where the last whole record ends (a torn record from a crash mid-write, and anything after it, is ignored).
   */
  private replayLog(data: Buffer): { numbers: [number, number] | undefined; goodLength: number } {
    let numbers: [number, number] | undefined;
    let position = 0;
    while (position < data.length) {
      const lineEnd = data.indexOf(10, position);
      if (lineEnd < 0) break;
      const line = data.toString('latin1', position, lineEnd);
      if (line === 'RESET') {
        this.memory.reset();
        numbers = undefined;
        position = lineEnd + 1;
        continue;
      }
      const [first, second, third] = line.split(' ');
      if (first === 'SEQ') {
        const sender = Number(second);
        const target = Number(third);
        if (!Number.isInteger(sender) || !Number.isInteger(target)) break;
        numbers = [sender, target];
        position = lineEnd + 1;
        continue;
      }
      const seqNum = Number(first);
      const length = Number(second);
      const end = lineEnd + 1 + length;
      if (!Number.isInteger(seqNum) || !Number.isInteger(length) || end + 1 > data.length || data[end] !== 10) break;
      this.memory.storeSent(seqNum, Buffer.from(data.subarray(lineEnd + 1, end)));
      position = end + 1;
    }
    return { numbers, goodLength: position };
  }
}
