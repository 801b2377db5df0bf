import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RestingOrder } from '../venue/venue-matching-engine.js';
import { goneLine, orderLine, readSavedOrders, type SavedOrder } from './resting-order-lines.js';

/** Writes within this window share one fdatasync. */
const SYNC_DELAY_MS = 20;
/** The log is rewritten with only the live orders once it holds this many lines and twice the live ones. */
const COMPACT_MIN_LINES = 1024;
/** After a failed write, the next rewrite is tried this much later. */
const RETRY_MS = 1000;

/**
 * A simulated venue's resting orders on disk, so that its book outlives the process: an append-only
 * file of JSON lines, one per change (an order's new state, or its end), written synchronously before
 * the executions it records are sent, fdatasynced in batches ({@link SYNC_DELAY_MS}) and at close.
 * The file is rewritten from memory with the live orders only (beside it, synced, renamed over it)
 * at open (which drops a line torn by a crash), when dead lines outnumber live ones, and after a
 * failed write: while the disk refuses writes the venue keeps trading, its file lags, and a rewrite
 * is tried every {@link RETRY_MS} until one succeeds.
 */
export class RestingOrderLog {
  private fd: number;
  private lines: number;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private unsynced = false;
  /** The file misses changes held in memory: the next write rewrites it whole. */
  private behind = false;
  private retryTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly path: string,
    private readonly held: Map<string, SavedOrder>,
    private readonly options: { now: () => number; onError: (error: unknown, what: string) => void },
  ) {
    this.fd = this.rewrite();
    this.lines = held.size;
  }

  /**
   * Opens (or creates) the log; DAY orders that rested before `tradingDayStart` come back as
   * `expired` and leave the file, the others as `resting`.
   */
  static open(
    path: string,
    options: { tradingDayStart: number; now?: () => number; onError: (error: unknown, what: string) => void },
  ): { log: RestingOrderLog; resting: SavedOrder[]; expired: SavedOrder[] } {
    mkdirSync(dirname(path), { recursive: true });
    const held = existsSync(path) ? readSavedOrders(path) : new Map<string, SavedOrder>();
    const expired = [...held.values()].filter((o) => o.order.timeInForce === 'DAY' && o.restedAt < options.tradingDayStart);
    for (const order of expired) held.delete(order.order.clOrdId);
    const log = new RestingOrderLog(path, held, { now: options.now ?? Date.now, onError: options.onError });
    return { log, resting: [...held.values()], expired };
  }

  /** Records the orders' new states (undefined: no longer resting); orders it never held that do not rest are skipped. */
  record(changes: ReadonlyMap<string, RestingOrder | undefined>): void {
    let text = '';
    for (const [clOrdId, state] of changes) {
      const before = this.held.get(clOrdId);
      if (!state) {
        if (!before) continue;
        this.held.delete(clOrdId);
        text += goneLine(clOrdId);
      } else {
        const saved = { ...state, restedAt: before?.restedAt ?? this.options.now() };
        this.held.set(clOrdId, saved);
        text += orderLine(saved);
      }
      this.lines++;
    }
    if (text === '' || this.retryTimer) return;
    if (this.behind || (this.lines >= COMPACT_MIN_LINES && this.lines > 2 * this.held.size)) return this.replaceFile();
    try {
      writeAll(this.fd, Buffer.from(text, 'utf8'));
    } catch (error) {
      return this.fellBehind(error);
    }
    this.scheduleSync();
  }

  /** Syncs what was written and closes the file. */
  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.syncing;
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    if (this.fd < 0) return;
    if (this.behind) this.replaceFile();
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** One fdatasync for what the window wrote; writes made while it runs get the next one. */
  private scheduleSync(): void {
    this.unsynced = true;
    if (this.syncTimer || this.syncing) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.unsynced = false;
      this.syncing = new Promise<void>((resolve) =>
        fdatasync(this.fd, (error) => {
          this.syncing = undefined;
          if (error) this.options.onError(error, 'not synced to disk');
          if (this.fd >= 0 && this.behind && !this.retryTimer) this.replaceFile();
          else if (this.fd >= 0 && this.unsynced) this.scheduleSync();
          resolve();
        }),
      );
    }, SYNC_DELAY_MS);
    this.syncTimer.unref();
  }

  /** Rewrites the file from memory, unless an fdatasync still runs on the descriptor it would close (then once it ends). */
  private replaceFile(): void {
    this.behind = true;
    if (this.syncing) return;
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    let fd: number;
    try {
      fd = this.rewrite();
    } catch (error) {
      return this.fellBehind(error);
    }
    closeSync(this.fd);
    this.fd = fd;
    this.lines = this.held.size;
    this.behind = false;
    this.unsynced = false;
  }

  private fellBehind(error: unknown): void {
    if (!this.behind) this.options.onError(error, 'not written: the file lags until a rewrite succeeds');
    this.behind = true;
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      if (this.fd >= 0) this.replaceFile();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  /** Writes the live orders to a new file, synced, and renames it over the log; returns it open for appending. */
  private rewrite(): number {
    const next = `${this.path}.new`;
    const fd = openSync(next, 'w');
    try {
      writeAll(fd, Buffer.from([...this.held.values()].map(orderLine).join(''), 'utf8'));
      fsyncSync(fd);
      renameSync(next, this.path);
    } catch (error) {
      closeSync(fd);
      rmSync(next, { force: true });
      throw error;
    }
    syncDirectory(dirname(this.path));
    return fd;
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let written = 0; written < data.length;) written += writeSync(fd, data, written);
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
