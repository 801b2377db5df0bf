import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { SqlClient, SqlExecutor } from '../../ports/sql.js';
import { batchInTransaction } from './sql-batch.js';
import type { WorkerRequest, WorkerResponse } from './pglite-worker.js';

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Built code runs pglite-worker.js directly. From the TypeScript sources (tests, tsx) the worker is
 * a .ts file: a small bootstrap registers tsx's loader in the worker before importing it.
 */
function startWorker(workerData: { dataDir?: string }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./pglite-worker.ts', import.meta.url).href;
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
 * SqlClient on PGlite running in a worker thread (see pglite-worker.ts). Same SQL, same results
 * (int8 as numbers, numeric as strings, jsonb as objects) as the in-thread client.
 */
export interface PgliteWorkerClient extends SqlClient {
  /**
   * The same database, whose transactions go before the others' in the worker's queue: for the
   * order acknowledgement path, which a client waits on, while the downstream flow can wait.
   */
  readonly urgent: SqlClient;
}

export async function createPgliteWorkerClient(options: { dataDir?: string }): Promise<PgliteWorkerClient> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const worker = startWorker({ dataDir: options.dataDir });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<() => void>>();
  let nextId = 1;
  let failure: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (response: WorkerResponse) => {
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
  const failAll = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new SqlError(`database worker exited (${code})`)));
  await ready;

  const call = (request: Request): Promise<unknown[]> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // Object.assign, not a spread: V8 adds `id` to a spread copy through a slow path (~2 µs a call).
      worker.postMessage(Object.assign({}, request, { id }));
    });
  };
  const executor = (tx?: number, urgent?: boolean): SqlExecutor => ({
    query: async <Row extends object>(sql: string, params?: readonly unknown[]) => (await call({ op: 'query', sql, params: params ? [...params] : undefined, tx, urgent })) as Row[],
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
      await call({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
  const fast = executor(undefined, true);
  return { ...base, urgent: { ...base, query: fast.query, transaction: (fn) => transaction(fn, true), batch: (statements) => batchInTransaction((fn) => transaction(fn, true), statements) } };
}
