import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { SqlClient, SqlExecutor } from '../../../ports/sql.js';
import { batchInTransaction } from '../sql-batch.js';
import type { WorkerRequest, WorkerResponse } from './worker.js';

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Built code runs worker.js directly. From the TypeScript sources (tests, tsx) the worker is
 * a .ts file: a small bootstrap registers tsx's loader in the worker before importing it.
 */
function startWorker(workerData: { dataDir?: string }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export class SqlError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/**
 * SqlClient on PGlite running in a worker thread (see worker.ts). Same SQL, same results
 * (int8 as numbers, numeric as strings, jsonb as objects) as the in-thread client.
 */
export interface PgliteWorkerClient extends SqlClient {
  /**
   * The same database, whose transactions go before the others' in the worker's queue: for the
   * order acknowledgement path, which a client waits on, while the downstream flow can wait.
   */
  readonly urgent: SqlClient;
}

/** How long a statement may run before the worker is taken for stuck and replaced (see createPgliteWorkerClient). */
export const STUCK_AFTER_MS = 60_000;

export interface PgliteWorkerOptions {
  readonly dataDir?: string;
  /** No answer for this long while a request waits: the worker is replaced. Default STUCK_AFTER_MS. */
  readonly stuckAfterMs?: number;
  /** Told when a stuck worker was replaced (for the log). */
  readonly onRestart?: (reason: string) => void;
}

/**
 * PGlite can get stuck for good: after a CHECKPOINT or a WAL write fails on a full disk, its next
 * statement spins the worker's thread forever (PGlite 0.5.16, reproduced). PostgreSQL itself
 * restarts after such a PANIC and recovers from its WAL; here a watchdog does the same: a worker
 * that has not answered for `stuckAfterMs` while requests wait is terminated and a new one opens
 * the same data directory (crash recovery, as after kill -9). The waiting requests and any
 * transaction open on the old worker fail (their callers retry, as after a lost connection).
 */
export async function createPgliteWorkerClient(options: PgliteWorkerOptions): Promise<PgliteWorkerClient> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const stuckAfterMs = options.stuckAfterMs ?? STUCK_AFTER_MS;
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<() => void>>();
  /** Transactions begun and not ended; those of a replaced worker go to `lostTransactions`. */
  const openTransactions = new Set<number>();
  let lostTransactions = new Set<number>();
  let nextId = 1;
  let failure: Error | undefined;
  let lastAnswerAt = Date.now();
  let closing = false;
  /** While a replacement opens the database (crash recovery may take seconds): not a stuck worker. */
  let reopening = false;

  const failAll = (error: Error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  const attach = (candidate: Worker): Promise<void> => {
    const ready = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
    candidate.on('message', (response: WorkerResponse) => {
      if (candidate !== worker) return;
      lastAnswerAt = Date.now();
      if ('notify' in response) {
        for (const listener of listeners.get(response.notify) ?? []) listener();
        return;
      }
      const waiter = pending.get(response.id);
      pending.delete(response.id);
      if (!waiter) return;
      if (response.ok) waiter.resolve(response.rows ?? []);
      else waiter.reject(new SqlError(response.message, response.code));
    });
    const fail = (error: Error) => {
      if (candidate !== worker) return;
      failure = error;
      failAll(error);
    };
    candidate.on('error', fail);
    candidate.on('exit', (code) => fail(new SqlError(`database worker exited (${code})`)));
    return ready;
  };
  let worker = startWorker({ dataDir: options.dataDir });
  await attach(worker);

  const restart = async (reason: string) => {
    const stuck = worker;
    reopening = true;
    lostTransactions = new Set([...lostTransactions, ...openTransactions]);
    openTransactions.clear();
    failAll(new SqlError(`database worker replaced: ${reason}`));
    worker = startWorker({ dataDir: options.dataDir });
    const ready = attach(worker);
    for (const channel of listeners.keys()) void call({ op: 'listen', channel }).catch(() => undefined);
    options.onRestart?.(reason);
    try {
      await stuck.terminate();
      await ready;
    } finally {
      reopening = false;
      lastAnswerAt = Date.now();
    }
  };
  const watchdog = setInterval(
    () => {
      const silentMs = Date.now() - lastAnswerAt;
      if (pending.size > 0 && silentMs > stuckAfterMs && !closing && !reopening && !failure) {
        // A replacement that cannot open is recorded as `failure` (every call then fails with it).
        restart(`no answer for ${silentMs} ms`).catch(() => undefined);
      }
    },
    Math.min(1_000, stuckAfterMs),
  );
  watchdog.unref();

  const call = (request: Request): Promise<unknown[]> => {
    if (failure) return Promise.reject(failure);
    const tx = 'tx' in request ? request.tx : undefined;
    if (tx !== undefined && lostTransactions.has(tx)) {
      if (request.op === 'commit' || request.op === 'rollback') lostTransactions.delete(tx);
      return Promise.reject(new SqlError('transaction lost: its database worker was replaced'));
    }
    const id = nextId++;
    if (request.op === 'begin') openTransactions.add(id);
    if (request.op === 'commit' || request.op === 'rollback') openTransactions.delete(request.tx);
    if (pending.size === 0) lastAnswerAt = Date.now(); // the silence counts from the first request waiting
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // Object.assign, not a spread: V8 adds `id` to a spread copy through a slow path (~2 µs a call).
      worker.postMessage(Object.assign({}, request, { id }));
    });
  };
  const executor = (tx?: number, urgent?: boolean): SqlExecutor => ({
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) =>
      (await call({ op: 'query', sql, params: params ? [...params] : undefined, tx, urgent })) as Row[],
    runScript: async (sql: string) => {
      await call({ op: 'exec', sql, tx });
    },
  });
  const root = executor();
  const transaction = async <T>(fn: (tx: SqlExecutor) => Promise<T>, urgent?: boolean): Promise<T> => {
    const txId = nextId;
    // Not awaited: the statements go out at once and wait in the worker for their BEGIN; the
    // worker refuses the COMMIT of a transaction whose BEGIN or any statement failed.
    const begun = call({ op: 'begin', urgent });
    begun.catch(() => undefined);
    let result: T;
    try {
      result = await fn(executor(txId));
    } catch (error) {
      await call({ op: 'rollback', tx: txId }).catch(() => undefined);
      throw error;
    }
    // A COMMIT ends the transaction even when it fails (the worker then rolls back): no ROLLBACK after it.
    await call({ op: 'commit', tx: txId });
    return result;
  };

  const base: SqlClient = {
    kind: 'pglite',
    batch: (statements) => batchInTransaction((fn) => transaction(fn), statements),
    query: root.query,
    runScript: root.runScript,
    transaction: (fn) => transaction(fn),
    async listen(channel, onNotify) {
      const set = listeners.get(channel) ?? new Set();
      if (!listeners.has(channel)) {
        listeners.set(channel, set);
        await call({ op: 'listen', channel });
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
      };
    },
    ping: async () => {
      await root.query('SELECT 1');
    },
    close: async () => {
      closing = true;
      clearInterval(watchdog);
      await call({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
  const fast = executor(undefined, true);
  return {
    ...base,
    urgent: {
      ...base,
      query: fast.query,
      transaction: (fn) => transaction(fn, true),
      batch: (statements) => batchInTransaction((fn) => transaction(fn, true), statements),
    },
  };
}
