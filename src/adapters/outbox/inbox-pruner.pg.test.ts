import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../ports/sql.js';
import { migratedPostgres, type IsolatedPostgres } from '../sql/test-support/postgres.js';
import { InboxPruner } from './inbox-pruner.js';
import { claimInbox } from './index.js';

const DAY = 86_400;
const WEEK = 7 * DAY;

let pg: IsolatedPostgres;
let db: SqlClient;
beforeEach(async () => {
  ({ pg, db } = await migratedPostgres());
});
afterEach(async () => {
  await pg.drop();
});

/** Claims `count` new events for `consumer`, as processed `ageSeconds` ago; returns their ids. */
async function claimsAged(consumer: string, count: number, ageSeconds: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => uuidv7());
  await db.transaction((tx) => claimInbox(tx, consumer, ids));
  await db.query('UPDATE processed_events SET processed_at = now() - make_interval(secs => $1) WHERE event_id = ANY($2::uuid[])', [ageSeconds, ids]);
  return ids;
}

const claimCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_events'))[0]!.n;
/** The ids of `ids` that a consumer would apply again (no claim of theirs is left). */
const appliedAgain = (consumer: string, ids: readonly string[]) => db.transaction(async (tx) => [...(await claimInbox(tx, consumer, ids))]);

describe('InboxPruner (PostgreSQL)', () => {
  it('deletes the claims past the retention, keeps the younger ones, and a redelivery of a kept one is still dropped', async () => {
    const old = await claimsAged('oms-core.executions', 25, 8 * DAY);
    const oldOfAnother = await claimsAged('sor-engine.routing', 5, WEEK + 60);
    const young = await claimsAged('oms-core.executions', 10, WEEK - 60);
    const fresh = await claimsAged('sor-engine.routing', 10, 0);

    const pruned = await new InboxPruner({ db, retentionSeconds: WEEK, batchSize: 7 }).pruneOnce();

    expect(pruned).toBe(old.length + oldOfAnother.length);
    expect(await claimCount()).toBe(young.length + fresh.length);
    // Kept: the inbox still drops them. Gone: what Kafka could no longer deliver would be applied.
    expect(await appliedAgain('oms-core.executions', young)).toEqual([]);
    expect(await appliedAgain('sor-engine.routing', fresh)).toEqual([]);
    expect((await appliedAgain('oms-core.executions', old)).sort()).toEqual([...old].sort());
  });

  it('finds nothing to delete when every claim is within the retention', async () => {
    await claimsAged('risk-service.positions', 12, DAY);
    expect(await new InboxPruner({ db, retentionSeconds: WEEK }).pruneOnce()).toBe(0);
    expect(await claimCount()).toBe(12);
  });

  it('several pruners at once delete each old claim once and leave the young ones', async () => {
    await claimsAged('oms-core.intake', 300, 30 * DAY);
    const young = await claimsAged('oms-core.intake', 40, 60);
    const pruners = [1, 2, 3].map(() => new InboxPruner({ db: pg.connect({ max: 1 }), retentionSeconds: WEEK, batchSize: 20 }));

    const counts = await Promise.all(pruners.map((p) => p.pruneOnce()));
    // A pruner that finds the lock held leaves the round to the holder; a later round finishes.
    const rest = await pruners[0]!.pruneOnce();

    expect(counts.reduce((a, b) => a + b, 0) + rest).toBe(300);
    expect(await claimCount()).toBe(young.length);
  });

  it('ends a round after its current batch once stopped', async () => {
    await claimsAged('oms-core.executions', 50, 2 * DAY);
    const pruned: number[] = [];
    const pruner = new InboxPruner({ db, retentionSeconds: DAY, batchSize: 1, onPruned: (n) => pruned.push(n) });
    pruner.start();
    await pruner.stop();
    expect(pruned.length).toBe(1);
    expect(pruned[0]).toBeLessThan(50);
    expect(await claimCount()).toBe(50 - pruned[0]!);
  });

  it('runs a round at start and on each interval until stopped', async () => {
    const pruned: number[] = [];
    const pruner = new InboxPruner({ db, retentionSeconds: DAY, intervalMs: 50, onPruned: (n) => pruned.push(n) });
    await claimsAged('execution-adapter.cancels', 4, 2 * DAY);
    pruner.start();
    await expect.poll(() => pruned, { timeout: 5_000 }).toEqual([4]);
    await claimsAged('execution-adapter.cancels', 3, 3 * DAY);
    await expect.poll(() => pruned, { timeout: 5_000 }).toEqual([4, 3]);
    await pruner.stop();
    await claimsAged('execution-adapter.cancels', 2, 3 * DAY);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pruned).toEqual([4, 3]);
    expect(await claimCount()).toBe(2);
  });
});
