import { appendFileSync, constants, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileJournal, fileJournalIo, SPARE_FILE, type FileJournalOptions } from './file-journal.js';
import { encodeRecords, HEADER_BYTES, segmentFileName } from './file-journal-segments.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let dir: string;
const opened: FileJournal[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-journal-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((journal) => journal.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function openJournal(options: Partial<FileJournalOptions> = {}): Promise<FileJournal> {
  const journal = await FileJournal.open({ dir, ...options });
  opened.push(journal);
  return journal;
}

function read(journal: FileJournal, after = 0): [number, string][] {
  return [...journal.readFrom(after)].map((record) => [record.seq, new TextDecoder().decode(record.data)]);
}

const segmentPath = (firstSeq: number): string => join(dir, segmentFileName(firstSeq));
const segmentFiles = (): string[] => readdirSync(dir).sort();

/** Appends one at a time, each waiting for the one before: one batch each. */
async function appendEach(journal: FileJournal, values: readonly string[]): Promise<void> {
  for (const value of values) await journal.append([text(value)]);
}

/** The O_DSYNC bit of each of this process's descriptors on `path`, from Linux's /proc/self/fdinfo. */
function dataSyncBits(path: string): number[] {
  return readdirSync('/proc/self/fd')
    .filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false; // closed since the listing
      }
    })
    .map((fd) => Number.parseInt(/^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8) & constants.O_DSYNC);
}

describe('FileJournal', () => {
  it('appends and reads back across a reopen, where numbering continues', async () => {
    const nested = join(dir, 'a', 'b');
    const journal = await FileJournal.open({ dir: nested });
    expect(journal.lastSeq).toBe(0);
    expect([...journal.readFrom(0)]).toEqual([]);
    expect(await journal.append([text('one'), text('two')])).toBe(2);
    expect(await journal.append([text('three')])).toBe(3);
    expect(journal.lastSeq).toBe(3);
    await journal.close();
    await expect(journal.append([text('late')])).rejects.toThrow(/closed/);

    const reopened = await FileJournal.open({ dir: nested });
    opened.push(reopened);
    expect(reopened.lastSeq).toBe(3);
    expect(reopened.recovered).toEqual({ truncatedBytes: 0 });
    expect(await reopened.append([text('four')])).toBe(4);
    expect(read(reopened)).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'four'],
    ]);
    expect(readdirSync(nested)).toEqual([segmentFileName(1)]);
  });

  it('shares writes and fdatasyncs among 200 concurrent appends (group commit), numbered in call order', async () => {
    const journal = await openJournal();
    const seqs = await Promise.all(range(1, 200).map((i) => journal.append([text(`order-${i}`)])));
    expect(seqs).toEqual(range(1, 200));
    const stats = journal.stats();
    expect(stats.records).toBe(200);
    expect(stats.syncs).toBeLessThanOrEqual(10);
    expect(stats.syncs).toBe(stats.writes);
    expect(read(journal).map(([seq, value]) => `${seq}:${value}`)).toEqual(range(1, 200).map((i) => `${i}:order-${i}`));
  });

  describe('commit delay', () => {
    /**
     * One append per pass of the event loop, each on its way before the next: a steady load of lone
     * appends. After a first append, which creates the segment file (real I/O, while appends pile up).
     * Returns the writes the steady appends took.
     */
    async function writesForSteadyAppends(journal: FileJournal, count: number): Promise<number> {
      await journal.append([text('first')]);
      const before = journal.stats().writes;
      const acks: Promise<number>[] = [];
      for (let i = 1; i <= count; i++) {
        acks.push(journal.append([text(`order-${i}`)]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await Promise.all(acks)).toEqual(range(2, count + 1));
      return journal.stats().writes - before;
    }
    // A write that costs nothing: without a delay, every lone append then gets a write of its own.
    const instantIo = { write: async () => undefined };

    it('lets the appends of a steady load share writes, where each would otherwise go alone', async () => {
      expect(await writesForSteadyAppends(await openJournal({ io: instantIo }), 500)).toBe(500);
      rmSync(dir, { recursive: true, force: true });
      // The first appends go alone, until the rate of appends says that another will come within the delay.
      expect(await writesForSteadyAppends(await openJournal({ io: instantIo, commitDelayMs: 5 }), 500)).toBeLessThan(250);
    });

    it('does not hold back an append that comes alone', async () => {
      const journal = await openJournal({ commitDelayMs: 200 });
      for (const value of ['one', 'two', 'three']) {
        const started = performance.now();
        await journal.append([text(value)]);
        expect(performance.now() - started).toBeLessThan(100);
      }
      expect(journal.stats().writes).toBe(3);
    });

    it('refuses a negative delay', async () => {
      await expect(FileJournal.open({ dir, commitDelayMs: -1 })).rejects.toThrow('commitDelayMs must not be negative');
    });
  });

  it('reports how long each durable batch took, and nothing for a write that failed', async () => {
    const durations: number[] = [];
    let failNext = true;
    const journal = await openJournal({
      onDurable: (seconds) => durations.push(seconds),
      retryDelay: { firstMs: 1, maxMs: 1 },
      io: {
        async write(handle, buffer, position) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          if (failNext) {
            failNext = false;
            throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          }
          await fileJournalIo.write(handle, buffer, position);
        },
      },
    });
    expect(await journal.append([text('a')])).toBe(1);
    expect(await journal.append([text('b'), text('c')])).toBe(3);
    // The failed attempt is not reported; the two batches that made it are, each with its write's time.
    expect(durations).toHaveLength(2);
    for (const seconds of durations) expect(seconds).toBeGreaterThanOrEqual(0.015);
  });

  it('puts every append made while a write is in flight into the next single write', async () => {
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const journal = await openJournal({
      io: {
        async write(handle, buffer, position) {
          if (calls++ === 0) {
            entered();
            await gate;
          }
          await fileJournalIo.write(handle, buffer, position);
        },
      },
    });
    const first = journal.append([text('first')]);
    await inFlight;
    const rest = range(2, 51).map((i) => journal.append([text(`r${i}`)]));
    expect(journal.lastSeq).toBe(0); // not durable yet
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(rest)).toEqual(range(2, 51));
    expect(journal.stats()).toEqual({ writes: 2, syncs: 2, records: 51 });
  });

  it.runIf(process.platform === 'linux')(
    'writes every segment through an O_DSYNC descriptor (durable when the write returns), new, reopened or rolled',
    async () => {
      const journal = await openJournal({ segmentBytes: 1 });
      await appendEach(journal, ['a']);
      expect(dataSyncBits(segmentPath(1))).toEqual([constants.O_DSYNC]);
      await journal.close();
      const reopened = await openJournal({ segmentBytes: 1 });
      expect(dataSyncBits(segmentPath(1))).toEqual([constants.O_DSYNC]);
      await appendEach(reopened, ['b']);
      expect(dataSyncBits(segmentPath(2))).toEqual([constants.O_DSYNC]);
      expect(reopened.stats()).toEqual({ writes: 1, syncs: 1, records: 1 });
      await reopened.close();
      const lazy = await openJournal({ sync: 'none' });
      await appendEach(lazy, ['c']);
      expect(dataSyncBits(segmentPath(2))).toEqual([0]);
    },
  );

  it("with sync 'none' writes but never syncs, and the records are there after a reopen", async () => {
    const journal = await openJournal({ sync: 'none' });
    await appendEach(journal, ['a', 'b', 'c']);
    expect(journal.stats()).toEqual({ writes: 3, syncs: 0, records: 3 });
    await journal.close();
    expect(read(await openJournal({ sync: 'none' }))).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  const half = encodeRecords([text('torn away')], 4);
  const badCrc = Buffer.from(encodeRecords([text('bad crc')], 4));
  badCrc[badCrc.length - 1]! ^= 0xff;
  it.each([
    ['half a record', half.subarray(0, half.length >> 1)],
    ['a few garbage bytes', Buffer.from([1, 2, 3, 4, 5])],
    ['a whole record with a bad CRC', badCrc],
  ])('cuts a torn tail (%s) on reopen and numbers on from the last good record', async (_, tail) => {
    const journal = await openJournal();
    await appendEach(journal, ['a', 'b', 'c']);
    await journal.close();
    const goodSize = statSync(segmentPath(1)).size;
    appendFileSync(segmentPath(1), tail);

    const reopened = await openJournal();
    expect(reopened.recovered).toEqual({ truncatedBytes: tail.length });
    expect(statSync(segmentPath(1)).size).toBe(goodSize);
    expect(reopened.lastSeq).toBe(3);
    expect(await reopened.append([text('d')])).toBe(4);
    expect(read(reopened)).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
  });

  it('refuses to open, naming the file and offset, when a segment before the last is corrupt', async () => {
    // Records of 16 + 10 bytes: three fill a 64-byte segment.
    const journal = await openJournal({ segmentBytes: 64 });
    await appendEach(
      journal,
      range(1, 6).map((i) => `record-${String(i).padStart(3, '0')}`),
    );
    await journal.close();
    expect(segmentFiles()).toEqual([segmentFileName(1), segmentFileName(4)]);
    const bytes = readFileSync(segmentPath(1));
    bytes[26 + HEADER_BYTES + 2]! ^= 0x01; // inside the second record's data
    writeFileSync(segmentPath(1), bytes);
    await expect(FileJournal.open({ dir })).rejects.toThrow(`${segmentPath(1)} at offset 26`);
  });

  it('rolls segments; truncateThrough drops only fully covered segments, never the active one', async () => {
    // Records of 16 + 9 bytes: a 60-byte segment takes three.
    const journal = await openJournal({ segmentBytes: 60 });
    await appendEach(
      journal,
      range(1, 10).map((i) => `record-${String(i).padStart(2, '0')}`),
    );
    expect(segmentFiles()).toEqual([1, 4, 7, 10].map(segmentFileName));

    await journal.truncateThrough(5); // 4..6 still holds 6
    expect(segmentFiles()).toEqual([4, 7, 10].map(segmentFileName));
    expect(read(journal).map(([seq]) => seq)).toEqual(range(4, 10));

    await journal.truncateThrough(1000); // everything is covered, but 10 is the active segment
    expect(segmentFiles()).toEqual([segmentFileName(10)]);
    expect(read(journal)).toEqual([[10, 'record-10']]);
    await journal.close();

    const reopened = await openJournal({ segmentBytes: 60 });
    expect(reopened.lastSeq).toBe(10);
    expect(await reopened.append([text('record-11')])).toBe(11);
    expect(read(reopened, 9)).toEqual([
      [10, 'record-10'],
      [11, 'record-11'],
    ]);
  });

  it('segmentsThrough counts what truncateThrough drops; a removal that fails part way leaves no gap', async () => {
    let removals = 0;
    const journal = await openJournal({
      segmentBytes: 60,
      io: {
        async remove(path) {
          if (++removals === 2) throw Object.assign(new Error('EIO'), { code: 'EIO' });
          await fileJournalIo.remove(path);
        },
      },
    });
    await appendEach(
      journal,
      range(1, 10).map((i) => `record-${String(i).padStart(2, '0')}`),
    );
    expect([0, 3, 5, 6, 9, 1000].map((seq) => journal.segmentsThrough(seq))).toEqual([0, 1, 1, 2, 3, 3]);
    await expect(journal.truncateThrough(9)).rejects.toThrow('EIO');
    // The oldest went, the second stayed: the journal is shorter, still whole.
    expect(segmentFiles()).toEqual([4, 7, 10].map(segmentFileName));
    expect(journal.segmentsThrough(9)).toBe(2);
    expect(read(journal).map(([seq]) => seq)).toEqual(range(4, 10));
    await journal.truncateThrough(9);
    expect(segmentFiles()).toEqual([segmentFileName(10)]);
    await journal.close();
    expect((await openJournal()).lastSeq).toBe(10);
  });

  it('readFrom(after) returns only the records numbered above after, across segments', async () => {
    const journal = await openJournal({ segmentBytes: 60 });
    await appendEach(
      journal,
      range(1, 8).map((i) => `record-${String(i).padStart(2, '0')}`),
    );
    expect(read(journal, 5).map(([seq]) => seq)).toEqual([6, 7, 8]);
    expect(read(journal, 3).map(([seq]) => seq)).toEqual([4, 5, 6, 7, 8]);
    expect(read(journal, 8)).toEqual([]);
    expect(read(journal, 100)).toEqual([]);
  });

  /**
   * A journal whose writes fail while `disk.full`: 'partial' writes part of the batch first (a full
   * disk); 'whole' writes all of it and then fails, as an O_DSYNC write does when the device cannot
   * flush it (or a write + fdatasync whose fdatasync fails).
   */
  async function journalOnDisk(failing: 'partial' | 'whole', disk: { full: boolean; failures: number }): Promise<FileJournal> {
    const error = () => (disk.failures++, Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    return openJournal({
      retryDelay: { firstMs: 5, maxMs: 20 },
      io: {
        async write(handle, buffer, position) {
          if (!disk.full) return fileJournalIo.write(handle, buffer, position);
          await fileJournalIo.write(handle, failing === 'partial' ? buffer.subarray(0, 20) : buffer, position);
          throw error();
        },
      },
    });
  }

  it.each(['partial', 'whole'] as const)(
    'a failed write (%s batch on disk) is cut from the file and written again until it succeeds; later appends wait behind it',
    async (failing) => {
      const disk = { full: false, failures: 0 };
      const journal = await journalOnDisk(failing, disk);
      await journal.append([text('one')]);
      const size = statSync(segmentPath(1)).size;

      disk.full = true;
      const waiting = [journal.append([text('a')]), journal.append([text('b'), text('c')])];
      while (disk.failures < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      const later = journal.append([text('d')]);
      expect(journal.failure).toMatchObject({ error: { code: 'ENOSPC' } });
      expect(journal.lastSeq).toBe(1);
      // Between its retries the failed batch's bytes are cut (a retry may be writing them at the moment of a look).
      await vi.waitFor(() => expect(statSync(segmentPath(1)).size).toBe(size));

      disk.full = false;
      expect(await Promise.all([...waiting, later])).toEqual([2, 4, 5]);
      expect(journal.failure).toBeUndefined();
      await journal.close();
      expect(read(await openJournal())).toEqual([
        [1, 'one'],
        [2, 'a'],
        [3, 'b'],
        [4, 'c'],
        [5, 'd'],
      ]);
    },
  );

  it('close during a failing write tries once more, then gives up: the unwritten appends reject, nothing after them is written', async () => {
    const disk = { full: true, failures: 0 };
    const journal = await journalOnDisk('partial', disk);
    const first = journal.append([text('a')]);
    while (disk.failures < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = journal.append([text('b')]);
    const settled = Promise.allSettled([first, second]);
    await journal.close();
    expect(disk.failures).toBeGreaterThanOrEqual(2);
    expect((await settled).map((result) => result.status === 'rejected' && String(result.reason))).toEqual([
      expect.stringMatching(/ENOSPC/),
      expect.stringMatching(/ENOSPC/),
    ]);
    expect(read(await openJournal())).toEqual([]);
  });

  it('close waits for the write in flight', async () => {
    const journal = await openJournal();
    const pending = journal.append([text('in flight')]);
    await journal.close();
    expect(await pending).toBe(1);
    expect(read(await openJournal())).toEqual([[1, 'in flight']]);
  });
});

describe('FileJournal with preallocate', () => {
  const sparePath = (): string => join(dir, SPARE_FILE);

  it('writes segments over zeros prepared ahead: appends do not grow the file, and a reopen numbers on from the last record', async () => {
    const journal = await openJournal({ preallocate: true, segmentBytes: 4096 });
    expect(await journal.spareSettled()).toBe(true);
    expect(statSync(sparePath()).size).toBe(4096);
    await appendEach(journal, ['a', 'b', 'c']);
    expect(statSync(segmentPath(1)).size).toBe(4096);
    if (process.platform === 'linux') expect(dataSyncBits(segmentPath(1))).toEqual([constants.O_DSYNC]);
    // The spare went to segment 1; the next one is zeroed meanwhile.
    expect(await journal.spareSettled()).toBe(true);
    expect(segmentFiles()).toEqual([SPARE_FILE, segmentFileName(1)].sort());
    await journal.close();

    const reopened = await openJournal({ preallocate: true, segmentBytes: 4096 });
    expect(reopened.recovered).toEqual({ truncatedBytes: 0 });
    expect(reopened.lastSeq).toBe(3);
    expect(await reopened.append([text('d')])).toBe(4);
    expect(statSync(segmentPath(1)).size).toBe(4096);
    expect(read(reopened)).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
  });

  it('moves to the spare as soon as it is ready when the segment in use was not zeroed ahead', async () => {
    // 8 MiB: the first append comes long before eight chunks of zeros are written.
    const journal = await openJournal({ preallocate: true, segmentBytes: 8 * 1024 * 1024 });
    await appendEach(journal, ['a']);
    expect(statSync(segmentPath(1)).size).toBeLessThan(100);
    expect(await journal.spareSettled()).toBe(true);
    await appendEach(journal, ['b', 'c']);
    expect(segmentFiles().filter((name) => name !== SPARE_FILE)).toEqual([segmentFileName(1), segmentFileName(2)]);
    expect(statSync(segmentPath(2)).size).toBe(8 * 1024 * 1024);
    await journal.close();
    const reopened = await openJournal({ preallocate: true, segmentBytes: 8 * 1024 * 1024 });
    expect(read(reopened)).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('takes zeros after the last record as a clean end in any segment, and cuts garbage before zeros', async () => {
    const journal = await openJournal({ segmentBytes: 64 });
    await appendEach(
      journal,
      range(1, 4).map((i) => `record-${String(i).padStart(3, '0')}`),
    );
    await journal.close();
    expect(segmentFiles()).toEqual([segmentFileName(1), segmentFileName(4)]);
    appendFileSync(segmentPath(1), Buffer.alloc(100));
    const lastSize = statSync(segmentPath(4)).size;
    appendFileSync(segmentPath(4), Buffer.alloc(100));

    const reopened = await openJournal({ segmentBytes: 64 });
    expect(reopened.recovered).toEqual({ truncatedBytes: 0 });
    expect(await reopened.append([text('next')])).toBe(5);
    await reopened.close();
    expect(statSync(segmentPath(4)).size).toBe(lastSize + 100); // written over the zeros
    expect(read(await openJournal({ segmentBytes: 64 })).map(([seq]) => seq)).toEqual(range(1, 5));
    await Promise.all(opened.splice(0).map((j) => j.close()));

    // Garbage after those zeros: what follows the last record is no longer a clean end, and goes.
    const lastRecordEnd = lastSize + HEADER_BYTES + 'next'.length;
    appendFileSync(segmentPath(4), Buffer.concat([Buffer.from([9, 9, 9]), Buffer.alloc(50)]));
    const cut = await openJournal({ segmentBytes: 64 });
    expect(cut.recovered).toEqual({ truncatedBytes: lastSize + 100 + 53 - lastRecordEnd });
    expect(statSync(segmentPath(4)).size).toBe(lastRecordEnd);
    expect(cut.lastSeq).toBe(5);
  });

  it('keeps a whole spare left by an earlier run and replaces a partial one', async () => {
    writeFileSync(sparePath(), Buffer.alloc(10));
    const journal = await openJournal({ preallocate: true, segmentBytes: 4096 });
    expect(await journal.spareSettled()).toBe(true);
    expect(statSync(sparePath()).size).toBe(4096);
    await journal.close();
    const before = statSync(sparePath()).mtimeMs;
    const reopened = await openJournal({ preallocate: true, segmentBytes: 4096 });
    expect(await reopened.spareSettled()).toBe(true);
    expect(statSync(sparePath()).mtimeMs).toBe(before);
    await reopened.close();
    // Without preallocate a spare is not kept.
    await openJournal();
    expect(segmentFiles()).toEqual([]);
  });
});
