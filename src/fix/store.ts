import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
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

const SEQ_WIDTH = 12;

/**
 * A durable store in a directory: `seqnums` holds both numbers at fixed offsets (one positional
 * write per change) and `messages` is an append-only log of sent messages (`seq length\n bytes \n`).
 * Writes go to the operating system before the session puts the message on the wire, so a killed
 * process (kill -9) restarts with the right numbers and can replay what it sent. No fsync: like the
 * embedded database, it survives a process crash, not a power loss. `created` holds the creation
 * time (ISO text), for a daily session schedule.
 */
export class FileStore implements MessageStore {
  private readonly seqFd: number;
  private readonly logFd: number;
  private readonly memory = new MemoryStore();
  private readonly createdPath: string;
  private readonly now: () => Date;
  private created: Date;

  constructor(directory: string, options: StoreOptions = {}) {
    mkdirSync(directory, { recursive: true });
    this.now = options.now ?? (() => new Date());
    this.createdPath = join(directory, 'created');
    const createdText = existsSync(this.createdPath) ? readFileSync(this.createdPath, 'latin1').trim() : '';
    this.created = new Date(createdText);
    if (!createdText || Number.isNaN(this.created.getTime())) this.writeCreationTime();
    const seqPath = join(directory, 'seqnums');
    const logPath = join(directory, 'messages');
    const existing = existsSync(seqPath) ? readFileSync(seqPath, 'latin1') : '';
    const logData = existsSync(logPath) ? readFileSync(logPath) : Buffer.alloc(0);
    this.seqFd = openSync(seqPath, existing ? 'r+' : 'w+');
    this.logFd = openSync(logPath, 'a');
    this.replayLog(logData);
    const [sender, target] = existing.trim().split(/\s+/).map(Number);
    this.memory.setNextSenderSeqNum(Math.max(sender || 1, this.memory.nextSenderSeqNum()));
    this.memory.setNextTargetSeqNum(target || 1);
    this.writeSeqNums();
  }

  nextSenderSeqNum(): number {
    return this.memory.nextSenderSeqNum();
  }

  nextTargetSeqNum(): number {
    return this.memory.nextTargetSeqNum();
  }

  storeSent(seqNum: number, message: Buffer): void {
    writeSync(this.logFd, Buffer.concat([Buffer.from(`${seqNum} ${message.length}\n`, 'latin1'), message, Buffer.from('\n')]));
    this.memory.storeSent(seqNum, message);
    this.writeSeqNums();
  }

  setNextTargetSeqNum(seqNum: number): void {
    this.memory.setNextTargetSeqNum(seqNum);
    this.writeSeqNums();
  }

  setNextSenderSeqNum(seqNum: number): void {
    this.memory.setNextSenderSeqNum(seqNum);
    this.writeSeqNums();
  }

  sentBetween(begin: number, end: number): { seqNum: number; message: Buffer }[] {
    return this.memory.sentBetween(begin, end);
  }

  creationTime(): Date {
    return this.created;
  }

  reset(): void {
    this.memory.reset();
    writeSync(this.logFd, Buffer.from('RESET\n', 'latin1'));
    this.writeSeqNums();
    // Written after the reset itself: a crash in between leaves the old time, so the schedule resets again (harmless).
    this.writeCreationTime();
  }

  close(): void {
    closeSync(this.seqFd);
    closeSync(this.logFd);
  }

  private writeCreationTime(): void {
    this.created = this.now();
    writeFileSync(this.createdPath, `${this.created.toISOString()}\n`, 'latin1');
  }

  private writeSeqNums(): void {
    const text = `${String(this.memory.nextSenderSeqNum()).padStart(SEQ_WIDTH)} ${String(this.memory.nextTargetSeqNum()).padStart(SEQ_WIDTH)}\n`;
    writeSync(this.seqFd, text, 0, 'latin1');
  }

  /** Rebuilds the sent messages from the log; a torn last record (crash mid-write) is ignored. */
  private replayLog(data: Buffer): void {
    let position = 0;
    while (position < data.length) {
      const lineEnd = data.indexOf(10, position);
      if (lineEnd < 0) break;
      const line = data.toString('latin1', position, lineEnd);
      if (line === 'RESET') {
        this.memory.reset();
        position = lineEnd + 1;
        continue;
      }
      const [seqText, lengthText] = line.split(' ');
      const seqNum = Number(seqText);
      const length = Number(lengthText);
      const end = lineEnd + 1 + length;
      if (!Number.isInteger(seqNum) || !Number.isInteger(length) || end + 1 > data.length) break;
      this.memory.storeSent(seqNum, Buffer.from(data.subarray(lineEnd + 1, end)));
      position = end + 1;
    }
  }
}
