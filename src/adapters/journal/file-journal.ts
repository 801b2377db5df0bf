import { constants, readFileSync } from 'node:fs';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Journal, JournalFailure, JournalRecord } from '../../ports/journal.js';
import { decodeRecords, encodeRecords, requireCrc32, scanJournal, segmentFileName, type Segment } from './file-journal-segments.js';

/**
 * Where the OS offers it (Linux, macOS), segments open with O_DSYNC: a write returns once its bytes
 * are on stable storage, as write + fdatasync would, in one system call and one trip through
 * libuv's pool instead of two (0.21 ms against 0.28–0.37 ms at the median per batch here, and half
 * the CPU). Elsewhere each write is followed by `sync`.
 */
const DATA_SYNC_FLAG: number = constants.O_DSYNC ?? 0;

/** The calls of the hot path, and compaction's removal; replaceable so that tests can make them fail or stop between. */
export interface JournalIo {
  /** Writes all of `buffer` at `position` (durably, when the handle was opened with O_DSYNC). */
  write(handle: FileHandle, buffer: Buffer, position: number): Promise<void>;
  /** Makes what was written durable: only where O_DSYNC is missing. */
  sync(handle: FileHandle): Promise<void>;
  /** Removes a segment file. */
  remove(path: string): Promise<void>;
}

/** The real calls: FileHandle runs them on the libuv threadpool, so the main thread never waits on the disk. */
export const fileJournalIo: JournalIo = {
  async write(handle, buffer, position) {
    for (let done = 0; done < buffer.length; ) {
      const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position + done);
      if (bytesWritten === 0) throw new Error('journal write made no progress');
      done += bytesWritten;
    }
  },
  sync: (handle) => handle.datasync(),
  remove: (path) => unlink(path),
};

export interface FileJournalOptions {
  /** Directory of the segment files; created if missing. */
  readonly dir: string;
  /**
   * 'fdatasync' (the default): an append resolves once its batch is on stable storage (an O_DSYNC
   * write, or a write and fdatasync where O_DSYNC is missing), so it survives a power cut.
   * 'none': it resolves once the kernel has the bytes, which survives kill -9 of this process but
   * not a power cut or kernel crash; for those who trade durability for speed. With 'none' the
   * directory is not synced either.
   */
  readonly sync?: 'fdatasync' | 'none';
  /** A segment that has reached this size gets no more batches; the next one starts a new file. Default 64 MiB. */
  readonly segmentBytes?: number;
  /** Tests only: replaces the write or the sync call, to inject failures. */
  readonly io?: Partial<JournalIo>;
  /** How long after a failed write the batch is written again (doubling each time up to maxMs). Default 50 ms to 1 s. */
  readonly retryDelay?: { readonly firstMs: number; readonly maxMs: number };
}

export interface FileJournalStats {
  /** Batches written (each one write call, whatever the number of appends in it). */
  readonly writes: number;
  /** Batches made durable (O_DSYNC writes or fdatasync calls; the directory syncs when a segment is created are not counted). */
  readonly syncs: number;
  /** Records durably appended. */
  readonly records: number;
}

interface Pending {
  readonly records: readonly Uint8Array[];
  readonly resolve: (seq: number) => void;
  readonly reject: (error: unknown) => void;
}

interface ActiveSegment extends Segment {
  readonly handle: FileHandle;
  /** Length of the acknowledged records: where the next batch goes. */
  size: number;
  /** Whether the directory was synced since this file was created. */
  dirSynced: boolean;
}

/**
 * The Journal on local files, with group commit: one write in flight at a time, and every append
 * made meanwhile shares the next write and its fdatasync. A batch whose write or sync fails (a full
 * disk, an I/O error) is cut from the file and written again from memory until it succeeds: the
 * records after it wait, so the file never has a gap and no append is lost while the process lives.
 * Meanwhile `failure` says why; only close() gives up, rejecting what is still unwritten.
 */
export class FileJournal implements Journal {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** A failed batch may have left bytes past `active.size`: they are cut before anything else is written. */
  private dirty = false;
  private readonly counts = { writes: 0, syncs: 0, records: 0 };
  private readonly io: JournalIo;
  private readonly syncMode: 'fdatasync' | 'none';
  private readonly segmentBytes: number;
  private readonly retryDelay: { readonly firstMs: number; readonly maxMs: number };
  private stalled: JournalFailure | undefined;
  /** Set when close() ended the retries of a failing batch: every later batch is refused. */
  private gaveUp: unknown;
  /** Ends the wait before the next retry early: set while waiting, called by close(). */
  private wakeRetry: (() => void) | undefined;

  private constructor(
    private readonly dir: string,
    options: FileJournalOptions,
    /** In seq order; the last one is `active` once there is one. */
    private readonly segments: Segment[],
    private active: ActiveSegment | undefined,
    private last: number,
    /** What opening found and cut: the torn tail of a write that a crash interrupted. */
    readonly recovered: { readonly truncatedBytes: number },
  ) {
    this.io = { ...fileJournalIo, ...options.io };
    this.syncMode = options.sync ?? 'fdatasync';
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.retryDelay = options.retryDelay ?? { firstMs: 50, maxMs: 1000 };
  }

  /** Opens (or creates) the journal in `options.dir`, checking every record and cutting a torn tail. */
  static async open(options: FileJournalOptions): Promise<FileJournal> {
    requireCrc32();
    if (options.segmentBytes !== undefined && !(options.segmentBytes > 0)) throw new Error('segmentBytes must be positive');
    const created = await mkdir(options.dir, { recursive: true });
    if (created !== undefined && options.sync !== 'none') {
      // A directory made now is durable only once its parent is synced: each one, from the first made down.
      const made = [created];
      for (const part of relative(created, options.dir).split(sep).filter(Boolean)) made.push(join(made.at(-1)!, part));
      for (const path of made) await syncDirectory(dirname(path));
    }
    const { segments, nextSeq, goodBytes, tornBytes } = await scanJournal(options.dir);
    const last = segments.at(-1);
    let active: ActiveSegment | undefined;
    if (last !== undefined) {
      const handle = await open(last.path, constants.O_RDWR | dataSyncFlag(options.sync));
      try {
        if (tornBytes > 0) {
          // A write cut short by a crash: none of it was acknowledged, so it goes.
          await handle.truncate(goodBytes);
          if (options.sync !== 'none') await handle.datasync();
        }
      } catch (error) {
        await handle.close();
        throw error;
      }
      active = { ...last, handle, size: goodBytes, dirSynced: true };
      segments[segments.length - 1] = active;
    }
    return new FileJournal(options.dir, options, segments, active, nextSeq - 1, { truncatedBytes: tornBytes });
  }

  get lastSeq(): number {
    return this.last;
  }

  get failure(): JournalFailure | undefined {
    return this.stalled;
  }

  stats(): FileJournalStats {
    return { ...this.counts };
  }

  /**
   * Seqs are given in call order from lastSeq + 1. They are fixed when the batch is written rather
   * than here, which comes to the same order, and lets a failed batch's seqs go to the next appends
   * without renumbering the queue. An empty `records` resolves with the seq of the record before it.
   */
  append(records: readonly Uint8Array[]): Promise<number> {
    if (this.closing) return Promise.reject(new Error('journal is closed'));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Reads each segment whole; `data` is a view into that segment's buffer, not a copy. */
  *readFrom(after: number): Generator<JournalRecord> {
    const limit = this.last; // not the batch in flight: it is not acknowledged yet
    const segments = [...this.segments];
    for (const [i, segment] of segments.entries()) {
      const next = segments[i + 1];
      if (next !== undefined && next.firstSeq - 1 <= after) continue;
      if (segment.firstSeq > limit) return;
      for (const { seq, data } of decodeRecords(readFileSync(segment.path), segment.firstSeq)) {
        if (seq > limit) return;
        if (seq > after) yield { seq, data };
      }
    }
  }

  /** How many whole segments hold only records at or below `seq` (what truncateThrough(seq) would drop). */
  segmentsThrough(seq: number): number {
    // A segment's records end where the next segment starts; the last segment is never dropped.
    let count = 0;
    while (count + 1 < this.segments.length && this.segments[count + 1]!.firstSeq - 1 <= seq) count++;
    return count;
  }

  /** Segment files the journal has now. */
  get segmentCount(): number {
    return this.segments.length;
  }

  async truncateThrough(seq: number): Promise<void> {
    if (this.closing) throw new Error('journal is closed');
    const drop = this.segmentsThrough(seq);
    if (drop === 0) return;
    try {
      // Oldest first, one by one, so a crash or a failure part way leaves a shorter journal, never one with a gap.
      for (let i = 0; i < drop; i++) {
        await this.io.remove(this.segments[0]!.path);
        this.segments.shift();
      }
    } finally {
      await this.syncDir();
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    this.wakeRetry?.();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.draining;
    await this.cutTail().catch(() => undefined);
    await this.active?.handle.close();
  }

  /** One batch in flight at a time; whatever is appended meanwhile goes in the next one. */
  private async drain(): Promise<void> {
    // One microtask first, so that appends made in the same tick share the first write too.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    this.draining = undefined;
  }

  /** Writes and syncs one batch, retrying until it is durable or the journal closes, then settles its appends; never throws. */
  private async commit(batch: readonly Pending[]): Promise<void> {
    const firstSeq = this.last + 1;
    const records = batch.flatMap((pending) => pending.records);
    if (this.gaveUp !== undefined) return batch.forEach((pending) => pending.reject(this.gaveUp));
    if (records.length > 0) {
      const buffer = encodeRecords(records, firstSeq);
      for (let delayMs = this.retryDelay.firstMs; ; delayMs = Math.min(delayMs * 2, this.retryDelay.maxMs)) {
        const error = await this.writeBatch(buffer, firstSeq);
        if (error === undefined) break;
        this.stalled = { error, since: this.stalled?.since ?? new Date() };
        if (this.closing) {
          // Nothing after this batch may be written either: a later record can depend on it.
          this.gaveUp = error;
          return batch.forEach((pending) => pending.reject(error));
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wakeRetry = () => (clearTimeout(timer), resolve());
        });
        this.wakeRetry = undefined;
      }
      this.stalled = undefined;
      this.last = firstSeq + records.length - 1;
      this.counts.records += records.length;
    }
    let seq = firstSeq - 1;
    for (const pending of batch) {
      seq += pending.records.length;
      pending.resolve(seq);
    }
  }

  /** One attempt at a batch: the error if it is not durable (its bytes are cut again, or will be before the next write). */
  private async writeBatch(buffer: Buffer, firstSeq: number): Promise<unknown> {
    try {
      const active = await this.prepareSegment(firstSeq);
      this.dirty = true;
      await this.io.write(active.handle, buffer, active.size);
      this.counts.writes++;
      if (this.syncMode === 'fdatasync') {
        // After a failed sync the kernel may have dropped the dirty pages: the retry writes them again.
        if (DATA_SYNC_FLAG === 0) await this.io.sync(active.handle);
        this.counts.syncs++;
      }
      this.dirty = false;
      active.size += buffer.length;
      return undefined;
    } catch (error) {
      // Cut the batch's bytes now, so a retry does not leave garbage mid-segment; if even that
      // fails, `dirty` makes the next attempt try again before it writes.
      await this.cutTail().catch(() => undefined);
      return error;
    }
  }

  /** The segment the batch starting at `firstSeq` goes to, rolling to a new one between batches. */
  private async prepareSegment(firstSeq: number): Promise<ActiveSegment> {
    await this.cutTail();
    let active = this.active;
    if (active === undefined || active.size >= this.segmentBytes) {
      const path = join(this.dir, segmentFileName(firstSeq));
      const previous = active;
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | dataSyncFlag(this.syncMode);
      active = { path, firstSeq, handle: await open(path, flags), size: 0, dirSynced: false };
      this.active = active;
      this.segments.push(active);
      await previous?.handle.close();
    }
    if (!active.dirSynced) {
      // The new file's name is durable only once its directory is synced.
      await this.syncDir();
      active.dirSynced = true;
    }
    return active;
  }

  private async cutTail(): Promise<void> {
    if (!this.dirty || this.active === undefined) return;
    await this.active.handle.truncate(this.active.size);
    this.dirty = false;
  }

  private async syncDir(): Promise<void> {
    if (this.syncMode !== 'none') await syncDirectory(this.dir);
  }
}

/** The open flag that makes each write of a segment durable, for the 'fdatasync' mode. */
function dataSyncFlag(sync: FileJournalOptions['sync']): number {
  return sync === 'none' ? 0 : DATA_SYNC_FLAG;
}

/** fsync of a directory: makes the names created or removed in it durable. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
