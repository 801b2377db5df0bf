import pg from 'pg';

export interface PostgresConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface Ownership {
  /** Gives the role up (the lock is released with the connection). */
  release(): Promise<void>;
}

export interface OwnershipOptions {
  readonly connection: PostgresConnection;
  /** What is owned, e.g. 'fix-gateway'; processes that name the same role exclude each other. */
  readonly role: string;
  /** How often a process that does not own the role asks again. */
  readonly retryMs?: number;
  /** Called while waiting, once per refused attempt or failed connection. */
  readonly onWaiting?: (reason: string) => void;
  /**
   * The connection that held the lock died: the lock is gone, and another process may own the
   * role now. The owner must stop acting as such at once.
   */
  readonly onLost: (error: unknown) => void;
}

// A namespace for the two-key form, so these locks never meet the migrations' or stores' keys.
const OWNERSHIP_LOCK_SPACE = 7216202;

/**
 * Becomes the one owner of a role across processes: a PostgreSQL session-level advisory lock,
 * held on a connection of its own for as long as the role is held. Resolves once owned (a
 * standby waits here, asking every retryMs); a killed owner's connection closes and frees the
 * lock for the next. `signal` stops the wait (shutdown before ownership).
 */
export async function acquireOwnership(options: OwnershipOptions, signal?: AbortSignal): Promise<Ownership> {
  const retryMs = options.retryMs ?? 2_000;
  for (;;) {
    signal?.throwIfAborted();
    const client = new pg.Client({ ...options.connection });
    let owned = false;
    const lost = (error: unknown): void => {
      if (!owned) return;
      owned = false;
      options.onLost(error);
    };
    // Without an 'error' handler a dead connection would crash the process.
    client.on('error', lost);
    try {
      await client.connect();
      const [row] = (await client.query<{ owned: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS owned', [OWNERSHIP_LOCK_SPACE, options.role]))
        .rows;
      owned = row?.owned === true;
      if (owned) {
        client.once('end', () => lost(new Error(`the connection holding ${options.role} ended`)));
        return {
          release: async () => {
            owned = false;
            await client.end();
          },
        };
      }
      options.onWaiting?.(`another process owns ${options.role}`);
    } catch (error) {
      options.onWaiting?.(`cannot ask PostgreSQL for ${options.role}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await client.end().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
