import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MessageIndex } from './file-store-index.js';
import { scanLog } from './file-store-scan.js';
import type { MessageStore, StoreOptions } from './store.js';

const NEWLINE = Buffer.from('\n', 'latin1');
/** Largest single read when a resend gathers neighbouring messages. */
const MAX_READ = 4 << 20;

export interface FileStoreOptions extends StoreOptions {
  /** Tests only: replaces the log's write, to inject failures (a full disk). */
  readonly writeLog?: (fd: number, data: Buffer, offset: number) => number;
}

/**
 * A durable store in a directory: `messages` is an append-only log of sent messages
 * (`seq length\n bytes \n`) and sequence numbers (`SEQ sender target\n`) of the current epoch
 * (since the last reset). Opening it reads only the record headers and keeps where each message
 * lies (12 bytes a message); a resend reads the messages' bytes from the file. A reset starts a new
 * log (written beside it, renamed over it, the directory synced), so earlier epochs leave the disk;
 * a log of the earlier format with `RESET\n` records in it is rewritten from its last epoch at open.
 * Mutations are batched: flush() appends all of them in one write, ending with the numbers, and
 * the session calls it before the batch's bytes go on the wire, so a killed process (kill -9)
 * restarts with the right numbers and can replay what it sent. No fsync of the log: like the embedded
 * database, it survives a process crash, not a power loss. A failed write is cut off and written
 * again by the next flush (see keepForRetry); one that cannot be cut off breaks the store for good:
 * later flushes throw until it is reopened. `created` holds the creation time (ISO text), for a
 * daily session schedule. A `seqnums` file of the earlier format
 * (both numbers, rewritten in place) is read once and replaced by a record in the log.
 */
export class FileStore implements MessageStore {
  private logFd: number;
  private readonly directory: string;
  private readonly logPath: string;
  private readonly createdPath: string;
  private readonly now: () => Date;
  private created: Date;
  private sender = 1;
  private target = 1;
  /** Where the messages written so far lie in the log, and how long the log is. */
  private readonly index = new MessageIndex();
  private logLength = 0;
  /** Records not written yet; the messages among them (answered from memory until written) and their offsets in `pending`. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private unwritten = new Map<number, Buffer>();
  private unwrittenAt: number[] = []; // seq, offset in the batch, length; repeated
  private numbersChanged = false;
  private failure: { error: unknown } | undefined;
  private closed = false;
  private readonly writeLog: (fd: number, data: Buffer, offset: number) => number;

  constructor(directory: string, options: FileStoreOptions = {}) {
    this.writeLog = options.writeLog ?? writeSync;
    mkdirSync(directory, { recursive: true });
    this.directory = directory;
    this.now = options.now ?? (() => new Date());
    this.createdPath = join(directory, 'created');
    const createdText = existsSync(this.createdPath) ? readFileSync(this.createdPath, 'latin1').trim() : '';
    this.created = new Date(createdText);
    if (!createdText || Number.isNaN(this.created.getTime())) this.writeCreationTime();
    const legacyPath = join(directory, 'seqnums');
    this.logPath = join(directory, 'messages');
    // A rewrite cut short by a crash: the log it was to replace is whole.
    if (existsSync(`${this.logPath}.new`)) unlinkSync(`${this.logPath}.new`);
    this.logFd = openSync(this.logPath, 'a+');
    const size = fstatSync(this.logFd).size;
    const scan = scanLog(this.logFd, size, this.index);
    // A torn last record (crash mid-write) is cut off, so later records are not appended after it.
    if (scan.goodLength < size) ftruncateSync(this.logFd, scan.goodLength);
    this.logLength = scan.goodLength;
    if (scan.epochStart > 0) this.dropEarlierEpochs(scan.epochStart);
    const legacy = existsSync(legacyPath);
    const [sender, target] = scan.numbers ?? (legacy ? readFileSync(legacyPath, 'latin1').trim().split(/\s+/).map(Number) : []);
    this.sender = Math.max(sender || 1, scan.nextAfterStored);
    this.target = target || 1;
    if (legacy) {
      this.numbersChanged = true;
      this.flush();
      unlinkSync(legacyPath);
    }
  }

  nextSenderSeqNum(): number {
    return this.sender;
  }

  nextTargetSeqNum(): number {
    return this.target;
  }

  storeSent(seqNum: number, message: Buffer): void {
    const header = Buffer.from(`${seqNum} ${message.length}\n`, 'latin1');
    this.unwritten.set(seqNum, message);
    this.unwrittenAt.push(seqNum, this.pendingBytes + header.length, message.length);
    this.pending.push(header, message, NEWLINE);
    this.pendingBytes += header.length + message.length + 1;
    this.sender = seqNum + 1;
    this.numbersChanged = true;
  }

  setNextTargetSeqNum(seqNum: number): void {
    this.target = seqNum;
    this.numbersChanged = true;
  }

  setNextSenderSeqNum(seqNum: number): void {
    this.sender = seqNum;
    this.numbersChanged = true;
  }

  /** Reads the written messages from the log, neighbours together (up to 4 MB a read). */
  sentBetween(begin: number, end: number): { seqNum: number; message: Buffer }[] {
    const last = Math.min(end, this.sender - 1);
    const found: { seqNum: number; message: Buffer }[] = [];
    let run: { seqNum: number; offset: number; length: number }[] = [];
    const readRun = () => {
      if (run.length === 0) return;
      const start = run[0]!.offset;
      const bytes = this.readAt(start, run[run.length - 1]!.offset + run[run.length - 1]!.length - start);
      for (const m of run) found.push({ seqNum: m.seqNum, message: bytes.subarray(m.offset - start, m.offset - start + m.length) });
      run = [];
    };
    this.index.forEach(begin, last, (seqNum, offset, length) => {
      if (this.unwritten.has(seqNum)) return;
      const previous = run[run.length - 1];
      if (previous && (offset < previous.offset || offset + length - run[0]!.offset > MAX_READ)) readRun();
      run.push({ seqNum, offset, length });
    });
    readRun();
    if (this.unwritten.size > 0) {
      for (const [seqNum, message] of this.unwritten) if (seqNum >= begin && seqNum <= last) found.push({ seqNum, message });
      found.sort((a, b) => a.seqNum - b.seqNum);
    }
    return found;
  }

  creationTime(): Date {
    return this.created;
  }

  /**
   * Starts a new log holding only the numbers (1 1): what was pending belongs to the epoch that
   * ends. Written beside the log and renamed over it, so a crash leaves one whole log or the other.
   */
  reset(): void {
    this.sender = 1;
    this.target = 1;
    this.index.clear();
    this.clearPending();
    this.numbersChanged = false;
    if (this.failure) return; // broken: the session's next flush reports it
    try {
      this.replaceLog(Buffer.from('SEQ 1 1\n', 'latin1'));
    } catch (error) {
      this.failure = { error };
      return;
    }
    // Written after the reset itself: a crash in between leaves the old time, so the schedule resets again (harmless).
    this.writeCreationTime();
  }

  flush(): void {
    if (this.pending.length === 0 && !this.numbersChanged) return;
    if (this.failure) throw this.failure.error;
    if (this.numbersChanged) {
      this.pending.push(Buffer.from(`SEQ ${this.sender} ${this.target}\n`, 'latin1'));
      this.numbersChanged = false;
    }
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const at = this.unwrittenAt;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      for (let written = 0; written < data.length;) written += this.writeLog(this.logFd, data, written);
    } catch (error) {
      this.keepForRetry(data);
      throw error;
    }
    for (let i = 0; i < at.length; i += 3) this.index.set(at[i]!, this.logLength + at[i + 1]!, at[i + 2]!);
    this.logLength += data.length;
    this.unwritten = new Map();
    this.unwrittenAt = [];
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
      if (this.logFd >= 0) closeSync(this.logFd);
    }
  }

  /**
   * After a failed write (a full disk): the log is cut back to its last whole record and the batch
   * stays pending, so the next flush writes it again; the session meanwhile disconnects and resends
   * from here after it reconnects. A log that cannot be cut breaks the store for good.
   */
  private keepForRetry(data: Buffer): void {
    try {
      ftruncateSync(this.logFd, this.logLength);
    } catch (error) {
      this.failure = { error };
      return;
    }
    this.pending.unshift(data);
    this.pendingBytes += data.length;
  }

  private clearPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.unwritten = new Map();
    this.unwrittenAt = [];
  }

  private readAt(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    for (let filled = 0; filled < length;) {
      const read = readSync(this.logFd, bytes, filled, length - filled, position + filled);
      if (read === 0) throw new Error(`FIX store log ${this.logPath} ends before a stored message`);
      filled += read;
    }
    return bytes;
  }

  /** Rewrites a log of the earlier format from its last epoch on (the messages still resendable). */
  private dropEarlierEpochs(epochStart: number): void {
    const tail = this.logLength - epochStart;
    this.replaceLog(Buffer.alloc(0), (fd) => {
      const chunk = Buffer.allocUnsafe(Math.min(MAX_READ * 2, Math.max(tail, 1)));
      for (let copied = 0; copied < tail;) {
        const read = readSync(this.logFd, chunk, 0, Math.min(chunk.length, tail - copied), epochStart + copied);
        if (read === 0) throw new Error(`FIX store log ${this.logPath} shrank while being rewritten`);
        for (let written = 0; written < read;) written += writeSync(fd, chunk, written, read - written);
        copied += read;
      }
    });
    this.index.shift(-epochStart);
  }

  /**
   * Writes `head` (then what `fill` writes) to `messages.new`, renames it over the log, syncs the
   * directory so the rename itself survives, and appends to the new log from then on.
   */
  private replaceLog(head: Buffer, fill?: (fd: number) => void): void {
    const newPath = `${this.logPath}.new`;
    const fd = openSync(newPath, 'w');
    let length = 0;
    try {
      for (let written = 0; written < head.length;) written += writeSync(fd, head, written);
      fill?.(fd);
      length = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    renameSync(newPath, this.logPath);
    syncDirectory(this.directory);
    closeSync(this.logFd);
    this.logFd = -1; // closed: close() must not close a reused number if the open below fails
    this.logFd = openSync(this.logPath, 'a+');
    this.logLength = length;
  }

  private writeCreationTime(): void {
    this.created = this.now();
    writeFileSync(this.createdPath, `${this.created.toISOString()}\n`, 'latin1');
  }
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
