import { open, opendir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlClient } from '../../../ports/sql.js';

/**
 * Puts what PGlite committed so far on disk. PGlite never fsyncs: its files live in the page
 * cache, which survives kill -9 but not a power cut. After a CHECKPOINT every change committed
 * before it is in the data files, the WAL holds the checkpoint record and pg_control names it;
 * fsyncing every file and directory under the data directory then makes that state survive a
 * power cut too (recovery starts at this checkpoint or a later one). Files come and go meanwhile
 * (WAL segments recycled, temporary files): one that vanished needs no sync.
 */
export async function checkpointToDisk(db: SqlClient, dataDir: string): Promise<{ files: number }> {
  await requireRoomForCheckpoint(dataDir);
  // A statement, not a script: a script makes the PGlite worker drop its prepared statements.
  await db.query('CHECKPOINT');
  const counted = { files: 0 };
  await syncTree(dataDir, counted);
  return counted;
}

/** One file at a time: the journal's writes share libuv's four threads with these. */
async function syncTree(dir: string, counted: { files: number }): Promise<void> {
  let entries;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (isGone(error)) return;
    throw error;
  }
  for await (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(path, counted);
    else if (entry.isFile() && (await syncPath(path))) counted.files++;
  }
  // The directory after its files: new names (relation segments, WAL files) become durable.
  await syncPath(dir);
}

/** Free space under the data directory below which no CHECKPOINT is started (WAL segments, pg_control, small files). */
export const CHECKPOINT_MIN_FREE_BYTES = 64 * 1024 * 1024;

/**
 * Refuses (throws) when the data directory's file system has less than `minFreeBytes` free.
 * PGlite (0.5.16) does not survive a CHECKPOINT that fails for want of space: the statement errors,
 * and the next one spins its thread forever (reproduced on a full tmpfs; a failed INSERT or
 * VACUUM leaves it usable). So a checkpoint waits for room; the callers retry on their next turn.
 */
export async function requireRoomForCheckpoint(dataDir: string, minFreeBytes = CHECKPOINT_MIN_FREE_BYTES): Promise<void> {
  const { bavail, bsize } = await statfs(dataDir);
  const free = bavail * bsize;
  if (free < minFreeBytes)
    throw new Error(`no CHECKPOINT with ${free} bytes free under ${dataDir} (${minFreeBytes} wanted): a failed one would leave the database stuck`);
}

async function syncPath(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
  try {
    await handle.sync();
    return true;
  } finally {
    await handle.close();
  }
}

const isGone = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
