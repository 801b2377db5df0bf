import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrder } from '../../domain/order/lifecycle.js';
import { FileJournal, fileJournalIo } from '../../adapters/journal/file-journal.js';
import { decodeStateChanges, encodeStateChanges } from '../../adapters/journal/state-changes-codec.js';
import { createLogger } from '../../adapters/observability/pino-logger.js';
import { runMigrations } from '../../adapters/sql/migrate.js';
import { checkpointToDisk } from '../../adapters/sql/pglite/durability.js';
import { createPgliteWorkerClient } from '../../adapters/sql/pglite/worker-client.js';
import { SqlQueryModelWriter } from '../../adapters/sql/query-model/sql-query-model-writer.js';
import type { StateChanges } from '../../ports/working-state.js';
import { JournalCompaction } from './journal-compaction.js';
import { catchUpQueryModel } from './recovery.js';

const logger = createLogger({ level: 'silent', name: 'test' });
const ORDERS = 24;
/** Written to the query model; the rest are only in the journal, as when the write-behind lags. */
const WRITTEN = 18;

const newOrder = (i: number): StateChanges => ({
  orders: [
    {
      order: createOrder(
        uuidv7(),
        { clientOrderId: `C-${i}`, accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 100, limitPrice: null, timeInForce: 'DAY' },
        new Date(),
      ),
      routing: { requested: 0, decided: 0 },
    },
  ],
  history: [],
  children: [],
  fills: [],
  positions: [],
  riskDecisions: [],
});

/** Opens the journal and the query model in `dir` as a start does, writes the journal's tail to it, and lists the orders it holds. */
async function recover(dir: string): Promise<{ orderIds: string[]; journalSegments: number }> {
  const db = await createPgliteWorkerClient({ dataDir: join(dir, 'pglite') });
  const journal = await FileJournal.open({ dir: join(dir, 'journal') });
  try {
    await runMigrations(db);
    await catchUpQueryModel(journal, new SqlQueryModelWriter(db), decodeStateChanges);
    const rows = await db.query<{ order_id: string }>('SELECT order_id FROM orders ORDER BY order_id');
    return { orderIds: rows.map((row) => row.order_id), journalSegments: journal.segmentCount };
  } finally {
    await journal.close();
    await db.close();
  }
}

/**
 * kill -9 keeps what the process wrote (the page cache) and nothing it held only in memory: a
 * copy of the data directory taken while the process stands at some point of the compaction is
 * what a restart after a kill at that point finds. One copy at every point; each is recovered.
 */
describe('journal compaction', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('loses no acknowledged order whatever point of the compaction a kill lands on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'compaction-'));
    roots.push(root);
    const dir = join(root, 'live');
    const snapshots: { point: string; dir: string }[] = [];
    const killPoint = (point: string): void => {
      const copy = join(root, `kill-${snapshots.length}`);
      cpSync(dir, copy, { recursive: true });
      snapshots.push({ point, dir: copy });
    };

    const db = await createPgliteWorkerClient({ dataDir: join(dir, 'pglite') });
    await runMigrations(db);
    const journal = await FileJournal.open({
      dir: join(dir, 'journal'),
      segmentBytes: 1024,
      io: {
        async remove(path) {
          await fileJournalIo.remove(path);
          killPoint('after a segment removal');
        },
      },
    });
    const writer = new SqlQueryModelWriter(db);
    const acknowledged: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const changes = newOrder(i);
      const seq = await journal.append([encodeStateChanges(changes)]);
      acknowledged.push(changes.orders[0]!.order.orderId);
      if (i < WRITTEN) await writer.write([changes], seq);
    }
    const segmentsBefore = journal.segmentCount;
    const compaction = new JournalCompaction({
      journal,
      watermark: () => WRITTEN,
      makeDurable: async () => {
        killPoint('before the checkpoint');
        await db.query('CHECKPOINT');
        killPoint('after the checkpoint, before the fsyncs');
        await checkpointToDisk(db, join(dir, 'pglite'));
        killPoint('on disk, before any removal');
      },
      logger,
    });
    const dropped = await compaction.compact();
    killPoint('after the directory sync');
    await journal.close();
    await db.close();

    expect(dropped).toBeGreaterThanOrEqual(3);
    expect(journal.segmentCount).toBe(segmentsBefore - dropped);
    expect(snapshots).toHaveLength(4 + dropped);
    const expected = [...acknowledged].sort();
    for (const snapshot of snapshots) {
      const recovered = await recover(snapshot.dir);
      expect({ point: snapshot.point, orders: recovered.orderIds }).toEqual({ point: snapshot.point, orders: expected });
    }
    // The compacted journal, restarted as it was left, also holds only its tail.
    expect((await recover(snapshots.at(-1)!.dir)).journalSegments).toBe(segmentsBefore - dropped);
  }, 180_000);

  it('drops nothing when the query model could not be put on disk, and a restart refuses a journal with a gap', async () => {
    const root = mkdtempSync(join(tmpdir(), 'compaction-'));
    roots.push(root);
    const db = await createPgliteWorkerClient({ dataDir: join(root, 'pglite') });
    await runMigrations(db);
    const journal = await FileJournal.open({ dir: join(root, 'journal'), segmentBytes: 1024 });
    for (let i = 0; i < 12; i++) await journal.append([encodeStateChanges(newOrder(i))]);
    const segments = journal.segmentCount;
    const failing = new JournalCompaction({ journal, watermark: () => 12, makeDurable: () => Promise.reject(new Error('EIO')), logger });
    expect(await failing.compact()).toBe(0);
    expect(journal.segmentCount).toBe(segments);

    // Segments the query model does not hold (its watermark is 0), dropped anyway: a restart must say so, not go on without them.
    await journal.truncateThrough(12);
    await journal.close();
    const reopened = await FileJournal.open({ dir: join(root, 'journal') });
    await expect(catchUpQueryModel(reopened, new SqlQueryModelWriter(db), decodeStateChanges)).rejects.toThrow(/are lost/);
    await reopened.close();
    await db.close();
  }, 60_000);
});
