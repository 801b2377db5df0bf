import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** DATA_DIR cannot hold what the embedded system must write there; the message names it and why. */
export class DataDirError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DataDirError';
  }
}

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EIO: 'the disk reported an I/O error',
};

/**
 * Before anything opens under DATA_DIR (journal, PGlite, FIX stores): a write and an fsync there
 * must work. Otherwise the start stops on the directory and the cause (a full disk, a read-only
 * file system), where PGlite alone reports `ErrnoError errno 51` and nothing else.
 */
export async function requireWritableDataDir(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    const file = await open(probe, 'w');
    try {
      await file.write(Buffer.alloc(4096));
      await file.sync();
    } finally {
      await file.close();
    }
    await rm(probe);
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    const cause = CAUSES[code] ?? (error instanceof Error ? error.message : String(error));
    throw new DataDirError(`DATA_DIR ${dir} cannot be written: ${cause} (${code})`, error);
  }
}
