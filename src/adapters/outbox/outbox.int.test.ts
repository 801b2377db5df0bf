import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { SqlClient } from '../../ports/sql.js';
import { migratedPglite } from '../sql/test-support/pglite.js';
import { appendOutbox, claimInbox } from './index.js';

let db: SqlClient;
beforeEach(async () => {
  db = await migratedPglite();
});
afterEach(async () => {
  await db.close();
});

const quote = (symbol: string): OutgoingMessage => ({
  topic: TOPICS.marketdataQuotes,
  key: symbol,
  eventId: uuidv7(),
  payload: { type: 'QuoteUpdated', symbol, venue: 'XNYS', bidPrice: '1.5', bidSize: 1, askPrice: null, askSize: 0, timestamp: new Date(0).toISOString() },
  headers: { traceparent: '00-abc-def-01' },
});

describe('outbox and inbox', () => {
  it('appends a batch in order with payload and headers, and only when the transaction commits', async () => {
    const kept = [quote('A'), quote('B')];
    await db.transaction((tx) => appendOutbox(tx, kept));
    await expect(
      db.transaction(async (tx) => {
        await appendOutbox(tx, [quote('C')]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const rows = await db.query<{ event_id: string; message_key: string; payload: string; headers: string }>(
      'SELECT event_id, message_key, payload, headers FROM outbox ORDER BY id',
    );
    const parsed = rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown, headers: JSON.parse(r.headers) as unknown }));
    expect(parsed).toEqual(kept.map((m) => ({ event_id: m.eventId, message_key: m.key, payload: m.payload, headers: m.headers ?? {} })));
  });

  it('skips an event already in the outbox (a venue resending a report committed before a restart)', async () => {
    const report = quote('A');
    await db.transaction((tx) => appendOutbox(tx, [report]));
    await db.transaction((tx) => appendOutbox(tx, [report, quote('B')]));
    const rows = await db.query<{ event_id: string }>('SELECT event_id FROM outbox ORDER BY id');
    expect(rows.filter((r) => r.event_id === report.eventId)).toHaveLength(1);
    expect(rows).toHaveLength(2);
  });

  it('claims each event once per consumer, so a redelivered batch applies only what is new', async () => {
    const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];
    expect(await db.transaction((tx) => claimInbox(tx, 'risk', [a, b]))).toEqual(new Set([a, b]));
    expect(await db.transaction((tx) => claimInbox(tx, 'risk', [a, b, c]))).toEqual(new Set([c]));
    expect(await db.transaction((tx) => claimInbox(tx, 'core', [a]))).toEqual(new Set([a]));
  });

  it('forgets a claim whose transaction rolled back, so the event is applied on redelivery', async () => {
    const id = uuidv7();
    await expect(
      db.transaction(async (tx) => {
        await claimInbox(tx, 'risk', [id]);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await db.transaction((tx) => claimInbox(tx, 'risk', [id]))).toEqual(new Set([id]));
  });
});
