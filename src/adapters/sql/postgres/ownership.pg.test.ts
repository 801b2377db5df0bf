import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { acquireOwnership } from './ownership.js';
import { TEST_POSTGRES } from '../test-support/postgres.js';

const waitFor = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('ownership of a role across processes (PostgreSQL advisory lock)', () => {
  it('lets one owner in, keeps the next waiting until the first releases, and tells an owner whose connection was killed', async () => {
    const role = `test-role-${randomUUID()}`;
    const lost: unknown[] = [];
    const first = await acquireOwnership({ connection: TEST_POSTGRES, role, retryMs: 50, onLost: (e) => lost.push(e) });

    const waits: string[] = [];
    let second: Awaited<ReturnType<typeof acquireOwnership>> | undefined;
    const secondLost: unknown[] = [];
    const pending = acquireOwnership({ connection: TEST_POSTGRES, role, retryMs: 50, onWaiting: (r) => waits.push(r), onLost: (e) => secondLost.push(e) }).then(
      (o) => (second = o),
    );
    await waitFor(() => waits.length >= 3);
    expect(second).toBeUndefined();
    expect(waits[0]).toMatch(/another process owns/);

    await first.release();
    await pending;
    expect(second).toBeDefined();
    expect(lost).toEqual([]); // released on purpose: not lost

    // As when the database restarts or an operator ends the session: the owner must learn it at once.
    const admin = new pg.Client(TEST_POSTGRES);
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = hashtext($1)::oid AND granted`, [role]);
    await admin.end();
    await waitFor(() => secondLost.length === 1);

    // The lock went with the connection: a third process owns the role now.
    const third = await acquireOwnership({ connection: TEST_POSTGRES, role, retryMs: 50, onLost: () => undefined });
    await third.release();
    await second!.release();
  });

  it('stops waiting when asked (a standby shutting down)', async () => {
    const role = `test-role-${randomUUID()}`;
    const owner = await acquireOwnership({ connection: TEST_POSTGRES, role, onLost: () => undefined });
    const abort = new AbortController();
    const waiting = acquireOwnership({ connection: TEST_POSTGRES, role, retryMs: 60_000, onLost: () => undefined }, abort.signal);
    setTimeout(() => abort.abort(), 100);
    await expect(waiting).rejects.toThrow();
    await owner.release();
  });
});
