import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../observability/pino-logger.js';
import { tmpdir } from 'node:os';
import { EmbeddedMaintenance } from './maintenance.js';
import { requireRoomForCheckpoint } from './durability.js';
import { createPgliteWorkerClient, type PgliteWorkerClient } from './worker-client.js';

/** PostgreSQL publishes a backend's table counters at most once a second. */
const statsFlushed = async (db: PgliteWorkerClient) => {
  await new Promise((r) => setTimeout(r, 1_100));
  await db.query('SELECT 1');
};

describe('EmbeddedMaintenance on PGlite', () => {
  let db: PgliteWorkerClient;
  let maintenance: EmbeddedMaintenance;

  beforeEach(async () => {
    db = await createPgliteWorkerClient({});
    maintenance = new EmbeddedMaintenance({ db, logger: createLogger({ level: 'silent' }), checkpointAfterWalBytes: 8 * 1024 * 1024 });
    await db.runScript(`CREATE TABLE items (id uuid PRIMARY KEY, n int NOT NULL);
      INSERT INTO items SELECT gen_random_uuid(), g FROM generate_series(1, 20000) g;`);
  });

  afterEach(async () => {
    await maintenance.stop();
    await db.close();
  });

  it('gives the planner statistics, so its row estimates follow the data', async () => {
    const estimate = async () => {
      const [line] = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT * FROM items WHERE n <= 100');
      return Number(/rows=(\d+)/.exec(line!['QUERY PLAN'])![1]);
    };
    expect(await estimate()).toBeGreaterThan(1_000);
    await statsFlushed(db);
    expect(await maintenance.runOnce()).toEqual(['ANALYZE "items"']);
    const after = await estimate();
    expect(after).toBeGreaterThan(50);
    expect(after).toBeLessThan(200);
    expect(await maintenance.runOnce()).toEqual([]);
  });

  it('analyzes a table it analyzed before again only after 10,000 changes', async () => {
    // The set-up's inserts counted before ANALYZE (counters reach the statistics a second late).
    await statsFlushed(db);
    await db.query('ANALYZE items');
    await db.runScript('INSERT INTO items SELECT gen_random_uuid(), g FROM generate_series(20001, 29000) g;');
    await statsFlushed(db);
    // 9,000 changes: past 10% of the table (2,950), short of 10,000.
    expect(await maintenance.runOnce()).toEqual([]);
    await db.runScript('INSERT INTO items SELECT gen_random_uuid(), g FROM generate_series(29001, 30001) g;');
    await statsFlushed(db);
    expect(await maintenance.runOnce()).toEqual(['ANALYZE "items"']);
  });

  it('vacuums the dead rows of deleted rows away, so reads stop walking them', async () => {
    await db.runScript('ANALYZE items; DELETE FROM items WHERE n > 100;');
    await statsFlushed(db);
    expect(await maintenance.runOnce()).toEqual(['VACUUM (ANALYZE) "items"']);
    await statsFlushed(db);
    const [stats] = await db.query<{ dead: number; live: number }>(
      "SELECT n_dead_tup::int AS dead, n_live_tup::int AS live FROM pg_stat_user_tables WHERE relname = 'items'",
    );
    expect(stats).toEqual({ dead: 0, live: 100 });
  });

  it('checkpoints once enough WAL was written since the last checkpoint, which bounds crash recovery', async () => {
    const walSinceCheckpoint = async () =>
      (await db.query<{ bytes: number }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()'))[0]!.bytes;
    await db.runScript('ANALYZE items; CHECKPOINT');
    expect(await maintenance.runOnce()).toEqual([]);
    await db.runScript("CREATE TABLE padding (t text); INSERT INTO padding SELECT repeat('x', 1000) FROM generate_series(1, 20000);");
    expect(await walSinceCheckpoint()).toBeGreaterThan(8 * 1024 * 1024);
    // A file system without the room a checkpoint needs (requireRoomForCheckpoint): postponed.
    const cramped = new EmbeddedMaintenance({
      db,
      logger: createLogger({ level: 'silent' }),
      checkpointAfterWalBytes: 8 * 1024 * 1024,
      checkpointAllowed: () => requireRoomForCheckpoint(tmpdir(), Number.MAX_SAFE_INTEGER),
    });
    expect(await cramped.runOnce()).not.toContain('CHECKPOINT');
    expect(await walSinceCheckpoint()).toBeGreaterThan(8 * 1024 * 1024);
    expect(await maintenance.runOnce()).toContain('CHECKPOINT');
    expect(await walSinceCheckpoint()).toBeLessThan(1024 * 1024);
  });
});

describe('requireRoomForCheckpoint', () => {
  it('refuses, naming the directory and the free bytes, below the minimum, and allows above it', async () => {
    await expect(requireRoomForCheckpoint(tmpdir(), Number.MAX_SAFE_INTEGER)).rejects.toThrow(
      new RegExp(`no CHECKPOINT with \\d+ bytes free under ${tmpdir()}`),
    );
    await expect(requireRoomForCheckpoint(tmpdir(), 0)).resolves.toBeUndefined();
  });
});
