/**
 * Settings for a database that lives in memory and in the page cache, on one thread:
 * - random_page_cost as for SSDs: at the default (4) the planner joined a 100-order batch by
 *   scanning all the orders (12 ms at 20,000 rows) instead of 100 index lookups (0.35 ms);
 * - ANALYZE samples 300 rows per unit of statistics target: at the default (100), analyzing the
 *   orders table took a fifth of a second of this thread; row counts and rough distributions
 *   are what the planner needs here, and a tenth of the sample gives them;
 * - new WAL segments are not zero-filled (16 MB each, which stalled the COMMIT that opened one);
 * - statements are prepared once (prepared.ts) but planned at each execution: a generic
 *   plan made while a table was small kept scanning it as it grew (the ingest benchmark fell from
 *   6,000 to 2,800 orders/s over 100,000 orders).
 */
export const PGLITE_SETTINGS: readonly string[] = [
  'random_page_cost = 1.1',
  'default_statistics_target = 10',
  'wal_init_zero = off',
  'plan_cache_mode = force_custom_plan',
];
