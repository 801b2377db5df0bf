/**
 * Worker thread that owns the embedded PGlite database. PGlite executes synchronously inside
 * WebAssembly, so on the main thread every statement would stall HTTP parsing; here the main
 * thread keeps accepting orders while a group commit runs, and batches form.
 *
 * Protocol (one connection): each request has an id; `begin` opens a transaction that only
 * requests carrying its id may use until `commit`/`rollback`; other requests wait their turn.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { TYPE_PARSERS } from './type-parsers.js';

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number; urgent?: boolean }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin'; urgent?: boolean }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; rows?: unknown[] }
  | { id: number; ok: false; message: string; code?: string }
  | { notify: string };

const port = parentPort!;
const { dataDir } = workerData as { dataDir?: string };
// The pg client's parsers: int8 beyond 2^53 fails the query there and here alike (PGlite alone gives a bigint).
const db = await PGlite.create({ parsers: TYPE_PARSERS, ...(dataDir ? { dataDir } : {}) });
let activeTx: number | undefined;
/**
 * Requests outside any transaction, in arrival order; they wait while a transaction is open.
 * Urgent ones (acknowledging new orders) go before the rest.
 */
const waiting: WorkerRequest[] = [];
const urgent: WorkerRequest[] = [];
/** Requests of the open transaction: they run ahead of everything else. */
const inTransaction: WorkerRequest[] = [];
let busy = false;

port.on('message', (request: WorkerRequest) => {
  if ('tx' in request && request.tx !== undefined) inTransaction.push(request);
  else if ('urgent' in request && request.urgent) urgent.push(request);
  else waiting.push(request);
  void drain();
});
port.postMessage({ id: 0, ok: true });

/** Runs requests in arrival order, except that a request outside the open transaction waits. */
async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    for (;;) {
      const request = activeTx === undefined ? (urgent.shift() ?? waiting.shift()) : inTransaction.shift();
      if (!request) return;
      port.postMessage(await handle(request));
    }
  } finally {
    busy = false;
  }
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    switch (request.op) {
      case 'query':
        return { id: request.id, ok: true, rows: (await db.query(request.sql, request.params)).rows };
      case 'exec':
        await db.exec(request.sql);
        return { id: request.id, ok: true };
      case 'begin':
        await db.query('BEGIN');
        activeTx = request.id;
        return { id: request.id, ok: true };
      case 'commit':
      case 'rollback':
        try {
          await db.query(request.op === 'commit' ? 'COMMIT' : 'ROLLBACK');
        } finally {
          activeTx = undefined;
        }
        return { id: request.id, ok: true };
      case 'listen':
        await db.listen(request.channel, () => port.postMessage({ notify: request.channel }));
        return { id: request.id, ok: true };
      case 'close':
        await db.close();
        return { id: request.id, ok: true };
    }
  } catch (error) {
    const e = error as { message?: string; code?: string };
    return { id: request.id, ok: false, message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) };
  }
}
