import { describe, expect, it } from 'vitest';
import { vacuumDue } from './maintenance.js';

describe('vacuumDue (PostgreSQL autovacuum thresholds)', () => {
  it('vacuums a table whose dead rows passed 50 + 20% of its live rows, analyzing it on the way', () => {
    expect(vacuumDue([{ table: 'outbox', liveRows: 100, deadRows: 71, modifiedSinceAnalyze: 0, analyzed: true }])).toEqual(['VACUUM (ANALYZE) "outbox"']);
    expect(vacuumDue([{ table: 'outbox', liveRows: 100, deadRows: 70, modifiedSinceAnalyze: 0, analyzed: true }])).toEqual([]);
  });

  it('analyzes a table never analyzed once its changes passed 50 + 10% of its live rows', () => {
    expect(vacuumDue([{ table: 'orders', liveRows: 1000, deadRows: 0, modifiedSinceAnalyze: 151, analyzed: false }])).toEqual(['ANALYZE "orders"']);
    expect(vacuumDue([{ table: 'orders', liveRows: 1000, deadRows: 0, modifiedSinceAnalyze: 150, analyzed: false }])).toEqual([]);
  });

  it('analyzes a table again after 10,000 changes, or 50 + 10% of its live rows when that is more', () => {
    expect(vacuumDue([{ table: 'orders', liveRows: 20_000, deadRows: 0, modifiedSinceAnalyze: 9_999, analyzed: true }])).toEqual([]);
    expect(vacuumDue([{ table: 'orders', liveRows: 20_000, deadRows: 0, modifiedSinceAnalyze: 10_001, analyzed: true }])).toEqual(['ANALYZE "orders"']);
    expect(vacuumDue([{ table: 'orders', liveRows: 1_000_000, deadRows: 0, modifiedSinceAnalyze: 100_050, analyzed: true }])).toEqual([]);
    expect(vacuumDue([{ table: 'orders', liveRows: 1_000_000, deadRows: 0, modifiedSinceAnalyze: 100_051, analyzed: true }])).toEqual(['ANALYZE "orders"']);
  });

  it('quotes table names', () => {
    expect(vacuumDue([{ table: 'odd"name', liveRows: 0, deadRows: 0, modifiedSinceAnalyze: 51, analyzed: false }])).toEqual(['ANALYZE "odd""name"']);
  });
});
