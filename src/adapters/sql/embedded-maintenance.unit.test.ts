import { describe, expect, it } from 'vitest';
import { vacuumDue } from './embedded-maintenance.js';

describe('vacuumDue (PostgreSQL autovacuum thresholds)', () => {
  it('vacuums a table whose dead rows passed 50 + 20% of its live rows, analyzing it on the way', () => {
    expect(vacuumDue([{ table: 'outbox', liveRows: 100, deadRows: 71, modifiedSinceAnalyze: 0 }])).toEqual(['VACUUM (ANALYZE) "outbox"']);
    expect(vacuumDue([{ table: 'outbox', liveRows: 100, deadRows: 70, modifiedSinceAnalyze: 0 }])).toEqual([]);
  });

  it('analyzes a table whose changes since the last ANALYZE passed 50 + 10% of its live rows', () => {
    expect(vacuumDue([{ table: 'orders', liveRows: 1000, deadRows: 0, modifiedSinceAnalyze: 151 }])).toEqual(['ANALYZE "orders"']);
    expect(vacuumDue([{ table: 'orders', liveRows: 1000, deadRows: 0, modifiedSinceAnalyze: 150 }])).toEqual([]);
  });

  it('quotes table names', () => {
    expect(vacuumDue([{ table: 'odd"name', liveRows: 0, deadRows: 0, modifiedSinceAnalyze: 51 }])).toEqual(['ANALYZE "odd""name"']);
  });
});
