import { constants, readFileSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ArrivalRate } from '../../lib/arrival-rate.js';
import type { Journal, JournalFailure, JournalRecord } from '../../ports/journal.js';
import { decodeRecords, encodeRecords, requireCrc32, scanJournal, segmentFileName, ZEROS, type Segment } from './file-journal-segments.js';

/**
 * Where the OS offers it (Linux, macOS), segments open with O_DSYNC: a write returns once its bytes
 * are on stable storage, as write + fdatasync would, in one system call and one trip through
 * libuv's pool instead of two (0.21 ms against 0.28–0.37 ms at the median per batch here, and half
 * the CPU). Elsewhere each write is followed by `sync`.
 */
const DATA_SYNC_FLAG: number = constants.O_DSYNC ?? 0;

/** Where the next segment is zeroed before it is needed; not a segment name, so scans pass it by. */
export const SPARE_FILE = 'next-segment.zeroed';
/** After a spare could not be prepared (a full disk), the next try waits this long. */
const SPARE_RETRY_MS = 5_000;

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
    for (let done = 0; done < buffer.length;) {
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
  /**
   * Write segments over zeros prepared ahead (default false). An append then neither grows the
   * file nor allocates blocks, so its O_DSYNC write makes its own data durable and nothing else:
   * on ext4 a growing file's sync must also commit the file system's journal, and with it wait
   * for the blocks other files (the query model, the FIX logs) allocated meanwhile. The next
   * segment is zeroed in the background while the current one fills, so the disk holds up to two
   * segments beyond the records; until a spare is ready, segments grow as they are written.
   */
  readonly preallocate?: boolean;
  /**
   * Commit delay (default 0: none): an idle journal waits this long before a write when appends
   * have lately come at least once per delay, so the appends of that time share the write, as
   * PostgreSQL's commit_delay does. Each write costs the same, however few records it holds, and
   * so does releasing what its records caused (ACKs, FIX messages, stream updates): fewer, larger
   * batches cost less CPU per record, for a delay that lighter loads, whose appends would not
   * share it, never pay. Timers count whole milliseconds: a write waits 1–2 ms per millisecond asked.
   */
  readonly commitDelayMs?: number;
  /** After each batch is durable: how long its write (and sync) took, in seconds (a metric). */
  readonly onDurable?: (seconds: number) => void;
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
  /** Whether the file was zeroed ahead (a spare): writes within it change no file size. */
  preallocated: boolean;
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
  /** The next segment's zeroed file: being written, ready to take records, or not there. */
  private spare: 'absent' | 'zeroing' | 'ready';
  private zeroing: Promise<void> | undefined;
  private spareFailedAt = Number.NEGATIVE_INFINITY;
  private readonly preallocate: boolean;
  private readonly onDurable: ((seconds: number) => void) | undefined;
  private readonly commitDelayMs: number;
  /** Appends lately, for the commit delay: over a window of 50 delays, so a few turns' gaps do not sway it. */
  private readonly appends: ArrivalRate;

  private constructor(
    private readonly dir: string,
    options: FileJournalOptions,
    /** In seq order; the last one is `active` once there is one. */
    private readonly segments: Segment[],
    private active: ActiveSegment | undefined,
    private last: number,
    /** What opening found and cut: the torn tail of a write that a crash interrupted. */
    readonly recovered: { readonly truncatedBytes: number },
    spareReady: boolean,
  ) {
    this.io = { ...fileJournalIo, ...options.io };
    this.syncMode = options.sync ?? 'fdatasync';
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.retryDelay = options.retryDelay ?? { firstMs: 50, maxMs: 1000 };
    this.preallocate = options.preallocate ?? false;
    this.onDurable = options.onDurable;
    this.commitDelayMs = options.commitDelayMs ?? 0;
    this.appends = new ArrivalRate(50 * Math.max(1, this.commitDelayMs));
    this.spare = spareReady ? 'ready' : 'absent';
    this.zeroSpare();
  }

  /** Opens (or creates) the journal in `options.dir`, checking every record and cutting a torn tail. */
  static async open(options: FileJournalOptions): Promise<FileJournal> {
    requireCrc32();
    if (options.segmentBytes !== undefined && !(options.segmentBytes > 0)) throw new Error('segmentBytes must be positive');
    if (options.commitDelayMs !== undefined && !(options.commitDelayMs >= 0)) throw new Error('commitDelayMs must not be negative');
    const created = await mkdir(options.dir, { recursive: true });
    if (created !== undefined && options.sync !== 'none') {
      // A directory made now is durable only once its parent is synced: each one, from the first made down.
      const made = [created];
      for (const part of relative(created, options.dir).split(sep).filter(Boolean)) made.push(join(made.at(-1)!, part));
      for (const path of made) await syncDirectory(dirname(path));
    }
    const { segments, nextSeq, goodBytes, tornBytes, zeroBytes } = await scanJournal(options.dir);
    const spareReady = await keepSpare(join(options.dir, SPARE_FILE), options.preallocate ? (options.segmentBytes ?? DEFAULT_SEGMENT_BYTES) : undefined);
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
      active = { ...last, handle, size: goodBytes, dirSynced: true, preallocated: zeroBytes > 0 };
      segments[segments.length - 1] = active;
    }
    return new FileJournal(options.dir, options, segments, active, nextSeq - 1, { truncatedBytes: tornBytes }, spareReady);
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
    if (this.commitDelayMs > 0) this.appends.note(performance.now());
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

  /** Once the spare in preparation (if any) is done: whether one is ready for the next segment. */
  async spareSettled(): Promise<boolean> {
    await this.zeroing;
    return this.spare === 'ready';
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
    await this.zeroing;
    await this.draining;
    await this.cutTail().catch(() => undefined);
    await this.active?.handle.close();
  }

  /** One batch in flight at a time; whatever is appended meanwhile goes in the next one. */
  private async drain(): Promise<void> {
    // One microtask first, so that appends made in the same tick share the first write too.
    await Promise.resolve();
    if (this.commitDelayMs > 0 && this.appends.perMs(performance.now()) * this.commitDelayMs >= 1) {
      await new Promise((resolve) => setTimeout(resolve, this.commitDelayMs));
    }
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
      const started = performance.now();
      await this.io.write(active.handle, buffer, active.size);
      this.counts.writes++;
      if (this.syncMode === 'fdatasync') {
        // After a failed sync the kernel may have dropped the dirty pages: the retry writes them again.
        if (DATA_SYNC_FLAG === 0) await this.io.sync(active.handle);
        this.counts.syncs++;
      }
      this.onDurable?.((performance.now() - started) / 1000);
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

  /**
   * The segment the batch starting at `firstSeq` goes to, rolling to a new one between batches:
   * when the current one is full, or as soon as a spare is ready if it was not zeroed ahead.
   */
  private async prepareSegment(firstSeq: number): Promise<ActiveSegment> {
    await this.cutTail();
    let active = this.active;
    if (active === undefined || active.size >= this.segmentBytes || (this.spare === 'ready' && !active.preallocated && active.size > 0)) {
      const previous = active;
      active = await this.startSegment(firstSeq);
      this.active = active;
      this.segments.push(active);
      await previous?.handle.close();
    }
    // The first spare, one after a failed try, or the next one once this roll took the spare.
    this.zeroSpare();
    if (!active.dirSynced) {
      // The new file's name is durable only once its directory is synced.
      await this.syncDir();
      active.dirSynced = true;
    }
    return active;
  }

  /** A new segment file named after its first record: the spare if one is ready, else an empty file. */
  private async startSegment(firstSeq: number): Promise<ActiveSegment> {
    const path = join(this.dir, segmentFileName(firstSeq));
    const sync = dataSyncFlag(this.syncMode);
    if (this.spare === 'ready') {
      // Opened before the rename: if either fails, the spare is still the spare.
      const handle = await open(this.sparePath, constants.O_WRONLY | sync);
      try {
        await rename(this.sparePath, path);
      } catch (error) {
        await handle.close();
        throw error;
      }
      this.spare = 'absent';
      return { path, firstSeq, handle, size: 0, dirSynced: false, preallocated: true };
    }
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | sync);
    return { path, firstSeq, handle, size: 0, dirSynced: false, preallocated: false };
  }

  private get sparePath(): string {
    return join(this.dir, SPARE_FILE);
  }

  /**
   * Starts zeroing the next segment in the background, unless one is there or under way. A
   * failure (a full disk) removes the partial file and leaves segments to grow until a later try.
   */
  private zeroSpare(): void {
    if (!this.preallocate || this.spare !== 'absent' || this.closing || performance.now() - this.spareFailedAt < SPARE_RETRY_MS) return;
    this.spare = 'zeroing';
    const zeroing = this.writeSpare(this.sparePath).then(
      () => void (this.spare = 'ready'),
      async () => {
        this.spare = 'absent';
        this.spareFailedAt = performance.now();
        await unlink(this.sparePath).catch(() => undefined);
      },
    );
    this.zeroing = zeroing;
    void zeroing.finally(() => {
      if (this.zeroing === zeroing) this.zeroing = undefined;
    });
  }

  /** segmentBytes of zeros, durably (in the 'fdatasync' mode); given up when the journal closes. */
  private async writeSpare(path: string): Promise<void> {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | dataSyncFlag(this.syncMode));
    try {
      await writeZeros(handle, this.segmentBytes, () => this.closing !== undefined);
      if (this.syncMode === 'fdatasync' && DATA_SYNC_FLAG === 0) await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  private async cutTail(): Promise<void> {
    if (!this.dirty || this.active === undefined) return;
    await this.active.handle.truncate(this.active.size);
    // What was zeroed beyond it is gone: the next spare takes over as soon as it is ready.
    this.active.preallocated = false;
    this.dirty = false;
  }

  private async syncDir(): Promise<void> {
    if (this.syncMode !== 'none') await syncDirectory(this.dir);
  }
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * Writes `bytes` of zeros from the start of the file, a MiB per write so that no single write
 * holds the disk for long; throws, leaving the file partial, once `stop()` says so.
 */
export async function writeZeros(handle: FileHandle, bytes: number, stop: () => boolean = () => false): Promise<void> {
  for (let at = 0; at < bytes; at += ZEROS.length) {
    if (stop()) throw new Error('zeroing stopped');
    await fileJournalIo.write(handle, ZEROS.subarray(0, Math.min(ZEROS.length, bytes - at)), at);
  }
}

/**
 * Whether a spare left by an earlier run can be used: it is only ever written with zeros, so a
 * whole one is good even if the run died before syncing it (lost pages read as zeros too). A
 * partial one, or one of another size, is removed. `segmentBytes` undefined: no preallocation.
 */
async function keepSpare(path: string, segmentBytes: number | undefined): Promise<boolean> {
  const size = await stat(path).then(
    (stats) => stats.size,
    () => undefined,
  );
  if (size === undefined) return false;
  if (size === segmentBytes) return true;
  await unlink(path);
  return false;
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
