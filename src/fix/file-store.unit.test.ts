import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageIndex } from './file-store-index.js';
import { scanLog } from './file-store-scan.js';
import { FileStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fix-file-store-'));
  dirs.push(dir);
  return dir;
}

const message = (seq: number, epoch = 'a') => Buffer.from(`8=FIX.4.4\x019=${seq}\x0158=${epoch}${'x'.repeat(seq % 300)}\n\x0110=000\x01`, 'latin1');
const text = (found: { seqNum: number; message: Buffer }[]) => found.map((m) => [m.seqNum, m.message.toString('latin1')]);

describe('FileStore index', () => {
  it('opens a log of many messages by their headers and resends the right bytes, read back from the file', () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    const expected: [number, string][] = [];
    for (let seq = 1; seq <= 20_000; seq++) {
      if (seq % 7 === 0)
        store.setNextSenderSeqNum(seq + 1); // an admin message: a hole
      else {
        store.storeSent(seq, message(seq));
        expected.push([seq, message(seq).toString('latin1')]);
      }
      if (seq % 13 === 0) store.flush();
    }
    store.setNextTargetSeqNum(777);
    store.flush();
    // No close(): as after kill -9.
    const reopened = new FileStore(dir);
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([20_001, 777]);
    expect(text(reopened.sentBetween(1, 20_000))).toEqual(expected);
    expect(text(reopened.sentBetween(9_990, 10_010))).toEqual(expected.filter(([seq]) => seq >= 9_990 && seq <= 10_010));
    expect(reopened.sentBetween(20_001, 30_000)).toEqual([]);
  });

  it('answers messages stored but not flushed yet, and a number stored again, with the latest bytes', () => {
    const store = new FileStore(tempDir());
    store.storeSent(1, message(1));
    store.storeSent(2, message(2));
    store.flush();
    store.storeSent(3, message(3));
    expect(text(store.sentBetween(1, 9)).map(([seq]) => seq)).toEqual([1, 2, 3]);
    store.setNextSenderSeqNum(2);
    store.storeSent(2, message(2, 'b'));
    expect(text(store.sentBetween(1, 9))).toEqual([
      [1, message(1).toString('latin1')],
      [2, message(2, 'b').toString('latin1')],
    ]);
    store.flush();
    expect(text(new FileStore(store['directory']).sentBetween(1, 9))).toEqual([
      [1, message(1).toString('latin1')],
      [2, message(2, 'b').toString('latin1')],
    ]);
  });

  it('resends only the new epoch after a reset, before and after reopening', () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    for (let seq = 1; seq <= 10; seq++) store.storeSent(seq, message(seq, 'old'));
    store.flush();
    store.storeSent(11, message(11, 'old')); // pending at the reset: belongs to the old epoch
    store.reset();
    for (let seq = 1; seq <= 3; seq++) store.storeSent(seq, message(seq, 'new'));
    store.flush();
    const expected = [1, 2, 3].map((seq) => [seq, message(seq, 'new').toString('latin1')]);
    expect(text(store.sentBetween(1, 20))).toEqual(expected);
    const reopened = new FileStore(dir);
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([4, 1]);
    expect(text(reopened.sentBetween(1, 20))).toEqual(expected);
  });

  it('starts a new log at a reset: the old epoch leaves the disk', () => {
    const dir = tempDir();
    const log = join(dir, 'messages');
    const store = new FileStore(dir);
    for (let seq = 1; seq <= 1000; seq++) store.storeSent(seq, message(seq));
    store.flush();
    expect(statSync(log).size).toBeGreaterThan(100_000);
    store.reset();
    expect(readFileSync(log, 'latin1')).toBe('SEQ 1 1\n');
    expect(existsSync(`${log}.new`)).toBe(false);
    store.storeSent(1, message(1, 'new'));
    store.setNextTargetSeqNum(2);
    store.flush();
    expect(readFileSync(log, 'latin1')).toBe(`SEQ 1 1\n1 ${message(1, 'new').length}\n${message(1, 'new').toString('latin1')}\nSEQ 2 2\n`);
  });

  it('rewrites a log of the earlier format (RESET records) from its last epoch at open', () => {
    const dir = tempDir();
    const log = join(dir, 'messages');
    const record = (seq: number, epoch: string) => `${seq} ${message(seq, epoch).length}\n${message(seq, epoch).toString('latin1')}\n`;
    writeFileSync(
      log,
      `${record(1, 'a')}${record(2, 'a')}SEQ 3 5\nRESET\n${record(1, 'b')}SEQ 2 1\nRESET\n${record(1, 'c')}${record(2, 'c')}SEQ 3 4\n`,
      'latin1',
    );
    const store = new FileStore(dir);
    expect([store.nextSenderSeqNum(), store.nextTargetSeqNum()]).toEqual([3, 4]);
    expect(readFileSync(log, 'latin1')).toBe(`${record(1, 'c')}${record(2, 'c')}SEQ 3 4\n`);
    expect(text(store.sentBetween(1, 9))).toEqual([1, 2].map((seq) => [seq, message(seq, 'c').toString('latin1')]));
    store.storeSent(3, message(3, 'c'));
    store.flush();
    expect(text(new FileStore(dir).sentBetween(1, 9)).map(([seq]) => seq)).toEqual([1, 2, 3]);
  });

  it('ignores a rewrite cut short by a crash, and cuts a torn header line', () => {
    const dir = tempDir();
    const log = join(dir, 'messages');
    const store = new FileStore(dir);
    store.storeSent(1, message(1));
    store.flush();
    writeFileSync(`${log}.new`, 'SEQ 1'); // a reset's new log, not renamed yet
    appendFileSync(log, 'SEQ 2'); // and a torn numbers record
    const reopened = new FileStore(dir);
    expect(existsSync(`${log}.new`)).toBe(false);
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([2, 1]);
    reopened.setNextTargetSeqNum(5);
    reopened.flush();
    expect([new FileStore(dir).nextTargetSeqNum(), new FileStore(dir).sentBetween(1, 1).length]).toEqual([5, 1]);
  });

  it('writes a batch again after a failed write (a full disk): the torn bytes are cut and nothing is lost', () => {
    const dir = tempDir();
    let diskFull = false;
    const store = new FileStore(dir, {
      writeLog: (fd, data, offset) => {
        if (!diskFull) return writeSync(fd, data, offset);
        writeSync(fd, data, offset, 10); // a partial write, then the disk is full
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    store.storeSent(1, message(1));
    store.flush();
    const goodSize = statSync(join(dir, 'messages')).size;
    diskFull = true;
    store.storeSent(2, message(2));
    store.setNextTargetSeqNum(5);
    expect(() => store.flush()).toThrow(/ENOSPC/);
    expect(statSync(join(dir, 'messages')).size).toBe(goodSize);
    store.storeSent(3, message(3)); // sent while the session reconnects: stored behind the failed batch
    expect(() => store.flush()).toThrow(/ENOSPC/);
    diskFull = false;
    store.flush();
    const reopened = new FileStore(dir);
    expect([reopened.nextSenderSeqNum(), reopened.nextTargetSeqNum()]).toEqual([4, 5]);
    expect(text(reopened.sentBetween(1, 9))).toEqual([1, 2, 3].map((seq) => [seq, message(seq).toString('latin1')]));
  });

  it('breaks for good when the new log of a reset cannot be written', () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    store.storeSent(1, message(1));
    store.flush();
    rmSync(dir, { recursive: true, force: true }); // the directory is gone: messages.new cannot be created
    store.reset();
    store.setNextTargetSeqNum(2);
    expect(() => store.flush()).toThrow(/ENOENT/);
  });
});

describe('scanLog', () => {
  it('finds the same records whatever the chunk size, records straddling chunk ends included', () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    for (let seq = 1; seq <= 300; seq++) {
      store.storeSent(seq, message(seq));
      if (seq % 3 === 0) store.setNextTargetSeqNum(seq);
      if (seq % 5 === 0) store.flush();
    }
    store.close();
    const log = join(dir, 'messages');
    appendFileSync(log, '301 500\n8=FIX'); // torn
    const size = statSync(log).size;
    const fd = openSync(log, 'r');
    try {
      const results = [64, 65, 100, 333, 4096, 1 << 20].map((chunk) => {
        const index = new MessageIndex();
        const result = scanLog(fd, size, index, chunk);
        const entries: number[][] = [];
        index.forEach(0, 1000, (seq, offset, length) => void entries.push([seq, offset, length]));
        return { result, entries };
      });
      expect(results[0]!.result).toEqual({ numbers: [301, 300], nextAfterStored: 301, epochStart: 0, goodLength: size - '301 500\n8=FIX'.length });
      expect(results[0]!.entries).toHaveLength(300);
      for (const other of results.slice(1)) expect(other).toEqual(results[0]);
    } finally {
      closeSync(fd);
    }
  });
});
