import type { Logger } from '../../observability/pino-logger.js';
import type { SqlClient } from '../../../ports/sql.js';

/** One table's activity, from pg_stat_user_tables. */
export interface TableActivity {
  readonly table: string;
  readonly liveRows: number;
  readonly deadRows: number;
  readonly modifiedSinceAnalyze: number;
  /** ANALYZE has run on it at least once, so the planner has its statistics. */
  readonly analyzed: boolean;
}

/**
 * PostgreSQL's own autovacuum defaults (autovacuum_vacuum_threshold, _scale_factor, and the
 * analyze pair), and ours, `reanalyzeAfter`: the fewest changes before a table ANALYZE has already
 * seen is analyzed again.
 */
export const MAINTENANCE_THRESHOLDS = { vacuumThreshold: 50, vacuumScale: 0.2, analyzeThreshold: 50, analyzeScale: 0.1, reanalyzeAfter: 10_000 } as const;

/**
 * The maintenance PostgreSQL's autovacuum would run now: VACUUM (with ANALYZE) where dead rows
 * passed their threshold, ANALYZE alone where only the statistics went stale.
 *
 * One difference: a table analyzed before waits for `reanalyzeAfter` changes at least. Here
 * ANALYZE runs on the database thread the query model is written on, not in a background
 * worker, and it samples up to 30,000 rows however few changed (orders: about 40 ms). With 10% of
 * a young table as the threshold it ran every two seconds at 1,000 orders/s, a sixth of that
 * thread's time. Growth alone does not make the statistics stale: the planner scales the
 * analyzed row density by the table's current size when it plans.
 */
export function vacuumDue(tables: readonly TableActivity[], limits = MAINTENANCE_THRESHOLDS): string[] {
  const statements: string[] = [];
  for (const { table, liveRows, deadRows, modifiedSinceAnalyze, analyzed } of tables) {
    const name = `"${table.replaceAll('"', '""')}"`;
    const analyzeThreshold = limits.analyzeThreshold + limits.analyzeScale * liveRows;
    if (deadRows > limits.vacuumThreshold + limits.vacuumScale * liveRows) statements.push(`VACUUM (ANALYZE) ${name}`);
    else if (modifiedSinceAnalyze > (analyzed ? Math.max(analyzeThreshold, limits.reanalyzeAfter) : analyzeThreshold)) statements.push(`ANALYZE ${name}`);
  }
  return statements;
}

const TABLE_ACTIVITY = `SELECT relname AS table, n_live_tup::float8 AS "liveRows", n_dead_tup::float8 AS "deadRows",
  n_mod_since_analyze::float8 AS "modifiedSinceAnalyze", analyze_count + autoanalyze_count > 0 AS analyzed
  FROM pg_stat_user_tables WHERE schemaname = current_schema()`;

const WAL_SINCE_CHECKPOINT = 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()';

/**
 * WAL written since the last checkpoint before the next one. A restart after a crash replays it
 * (with 300 MB of it, the embedded system took 5.3 s to restart after kill -9, against 3.6 s for a
 * clean restart), and it stays on disk until then. A checkpoint after 64 MB took about 60 ms of
 * the database thread.
 */
export const CHECKPOINT_AFTER_WAL_BYTES = 64 * 1024 * 1024;

/**
 * PGlite runs PostgreSQL in single-user mode, where neither autovacuum nor the checkpointer runs.
 * Without autovacuum the planner never gets statistics (it kept scanning the whole orders table
 * to join a 100-row batch) and the outbox's deleted rows pile up under every read of it; without
 * checkpoints the WAL grows to max_wal_size (1 GB) and a restart after kill -9 replays all of it.
 * This loop does their jobs: VACUUM/ANALYZE on autovacuum's thresholds, one table per statement
 * so queued requests run between two, and a CHECKPOINT once enough WAL was written.
 */
export class EmbeddedMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly options: {
      db: SqlClient;
      logger: Logger;
      intervalMs?: number;
      checkpointAfterWalBytes?: number;
      /** Throws when a CHECKPOINT must not run now (see requireRoomForCheckpoint); the rest still runs. */
      checkpointAllowed?: () => Promise<void>;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.runOnce().finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 2_000);
    this.timer.unref();
  }

  /** Runs whatever maintenance is due now; returns the statements it ran. */
  async runOnce(): Promise<string[]> {
    const { db, logger, checkpointAfterWalBytes = CHECKPOINT_AFTER_WAL_BYTES } = this.options;
    const ran: string[] = [];
    try {
      const [wal] = await db.query<{ bytes: number }>(WAL_SINCE_CHECKPOINT);
      const due = vacuumDue(await db.query<TableActivity>(TABLE_ACTIVITY));
      if ((wal?.bytes ?? 0) > checkpointAfterWalBytes) {
        const refused = await this.options.checkpointAllowed?.().then(
          () => undefined,
          (error: unknown) => error,
        );
        if (refused) logger.warn({ err: refused }, 'CHECKPOINT postponed');
        else due.push('CHECKPOINT');
      }
      for (const statement of due) {
        if (this.stopped) break;
        const started = performance.now();
        // A statement, not a script: a script makes the PGlite worker drop its prepared statements.
        await db.query(statement);
        ran.push(statement);
        logger.debug({ statement, ms: Math.round(performance.now() - started) }, 'database maintenance');
      }
    } catch (error) {
      if (!this.stopped) logger.warn({ err: error }, 'database maintenance failed; retrying at the next interval');
    }
    return ran;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
