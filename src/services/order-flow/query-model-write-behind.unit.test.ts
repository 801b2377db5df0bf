import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/observability/pino-logger.js';
import type { QueryModelWriter, StateChanges } from '../../ports/working-state.js';
import { QueryModelWriteBehind, queryModelHealth } from './query-model-write-behind.js';

const empty: StateChanges = { orders: [], history: [], children: [], fills: [], positions: [], riskDecisions: [] };

/** Records each write; a write finishes when the test says so. */
function recordingWriter() {
  const writes: { records: number; throughSeq: number; finish: () => void }[] = [];
  const writer: QueryModelWriter = {
    write: (changes, throughSeq) => new Promise<void>((resolve) => writes.push({ records: changes.length, throughSeq, finish: resolve })),
    watermark: async () => 0,
  };
  return { writer, writes };
}

const nextPass = () => new Promise((resolve) => setImmediate(resolve));

describe('QueryModelWriteBehind', () => {
  it('writes nothing while the pushing turn is still releasing, then the records of one pass in one write', async () => {
    const { writer, writes } = recordingWriter();
    const behind = new QueryModelWriteBehind({ writer, logger: createLogger({ level: 'silent' }) }, 0);
    behind.push(1, empty);
    behind.push(2, empty);
    expect(writes).toHaveLength(0);
    await nextPass();
    expect(writes.map((w) => [w.records, w.throughSeq])).toEqual([[2, 2]]);
  });

  it('queues what comes during a write for the next one, and reads waiting on a record resume once it is written', async () => {
    const { writer, writes } = recordingWriter();
    const behind = new QueryModelWriteBehind({ writer, logger: createLogger({ level: 'silent' }) }, 0);
    behind.push(1, empty);
    await nextPass();
    behind.push(2, empty);
    behind.push(3, empty);
    let caughtUp = false;
    void behind.caughtUp(3).then(() => (caughtUp = true));
    await nextPass();
    expect(writes).toHaveLength(1);
    writes[0]!.finish();
    await nextPass();
    expect(writes.map((w) => [w.records, w.throughSeq])).toEqual([
      [1, 1],
      [2, 3],
    ]);
    expect(caughtUp).toBe(false);
    writes[1]!.finish();
    await nextPass();
    expect(caughtUp).toBe(true);
    expect(behind.watermark).toBe(3);
  });

  it('gathers records for gatherMs before writing, unless a read waits for them', async () => {
    const { writer, writes } = recordingWriter();
    const behind = new QueryModelWriteBehind({ writer, logger: createLogger({ level: 'silent' }), gatherMs: 30 }, 0);
    behind.push(1, empty);
    await new Promise((resolve) => setTimeout(resolve, 5));
    behind.push(2, empty);
    await nextPass();
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(writes.map((w) => [w.records, w.throughSeq])).toEqual([[2, 2]]);
    writes[0]!.finish();
    behind.push(3, empty);
    let caughtUp = false;
    void behind.caughtUp(3).then(() => (caughtUp = true));
    await nextPass();
    await nextPass();
    expect(writes.map((w) => [w.records, w.throughSeq])).toEqual([
      [2, 2],
      [1, 3],
    ]);
    writes[1]!.finish();
    await nextPass();
    expect(caughtUp).toBe(true);
  });

  it('reports a failing write as down in health, retries it, and is up once the records are written', async () => {
    let diskFull = true;
    const written: number[] = [];
    const writer: QueryModelWriter = {
      write: async (_changes, throughSeq) => {
        if (diskFull) throw new Error('could not extend file "base/5/2619": No space left on device');
        written.push(throughSeq);
      },
      watermark: async () => 0,
    };
    const behind = new QueryModelWriteBehind({ writer, logger: createLogger({ level: 'silent' }) }, 0);
    const health = queryModelHealth(behind);
    behind.push(1, empty);
    const caughtUp = behind.caughtUp(1);
    while (!behind.failure) await nextPass();
    expect(await health.check()).toMatchObject({ up: false, detail: expect.stringMatching(/No space left on device/) });
    diskFull = false;
    await caughtUp; // the retry, a second later
    expect(written).toEqual([1]);
    expect(await health.check()).toEqual({ up: true });
  });

  it('stop writes what was pushed just before it', async () => {
    const writes: number[] = [];
    const writer: QueryModelWriter = { write: async (_changes, throughSeq) => void writes.push(throughSeq), watermark: async () => 0 };
    const behind = new QueryModelWriteBehind({ writer, logger: createLogger({ level: 'silent' }) }, 0);
    behind.push(1, empty);
    await behind.stop();
    expect(writes).toEqual([1]);
    expect(behind.watermark).toBe(1);
  });
});
