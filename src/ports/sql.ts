/**
 * The one database port. PGlite (embedded) and node-postgres (distributed) both implement it and
 * run the same SQL. Parameters use $1..$n; numeric values travel as decimal strings.
 */
export interface SqlExecutor {
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  runScript(sql: string): Promise<void>;
}

export interface SqlStatement {
  readonly text: string;
  readonly params?: readonly unknown[];
}

export interface SqlClient extends SqlExecutor {
  /**
   * Runs the statements in one transaction, in order, and returns each one's rows. They travel
   * together with their BEGIN and COMMIT (one round trip on PGlite's worker), so none may depend
   * on another's result in the caller; any failure rolls back all of them and rejects with it.
   */
  batch(statements: readonly SqlStatement[]): Promise<Record<string, unknown>[][]>;
  /**
   * Runs fn in one transaction: committed if it resolves, rolled back if it throws. Statements
   * run in the order they were sent, and fn may leave writes unawaited: the COMMIT follows them,
   * and fails (rolling everything back) if any of them failed.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; `onNotify` runs for each NOTIFY committed by any session. Resolves with
   * a function that stops listening.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** Resolves when the database answers a trivial query; for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}
