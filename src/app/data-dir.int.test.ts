import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirError, requireWritableDataDir } from './data-dir.js';

describe('requireWritableDataDir', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'oms-data-dir-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('creates the directory and leaves nothing behind', async () => {
    const dir = join(scratch, 'data', 'nested');
    await requireWritableDataDir(dir);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names DATA_DIR and the cause when the directory cannot be written', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'x');
    const dir = join(file, 'data');
    const failure = requireWritableDataDir(dir);
    await expect(failure).rejects.toBeInstanceOf(DataDirError);
    await expect(failure).rejects.toThrow(`DATA_DIR ${dir} cannot be written: a part of the path is a file, not a directory (ENOTDIR)`);
  });
});
