/**
 * Worker thread that owns the embedded PGlite database. PGlite executes synchronously inside
 * WebAssembly, so on the main thread every statement would stall HTTP parsing; here the main
 * thread keeps accepting orders while a group commit runs, and batches form.
 *
 * Protocol (one connection): each request has an id; `begin` opens a transaction that only
 * requests carrying its id may use until `commit`/`rollback`; other requests wait their turn.
 * A client may post a transaction's statements before its `begin` has run (they wait in that
 * transaction's own queue), so a transaction costs no round trip per statement it does not await.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PreparedStatements } from './prepared.js';
import { PGLITE_SETTINGS } from './settings.js';
import { TYPE_PARSERS } from '../type-parsers.js';

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number; urgent?: boolean }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin'; urgent?: boolean }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'close' };

export type WorkerResponse = { id: number; ok: true; rows?: unknown[] } | { id: number; ok: false; message: string; code?: string } | { notify: string };

const port = parentPort!;
const { dataDir } = workerData as { dataDir?: string };
// The pg client's parsers: int8 beyond 2^53 fails the query there and here alike (PGlite alone gives a bigint).
const db = await PGlite.create({ parsers: TYPE_PARSERS, postgresqlconf: [...PGLITE_SETTINGS], ...(dataDir ? { dataDir } : {}) });
const statements = new PreparedStatements(db);
let activeTx: number | undefined;
let activeTxFailed = false;
/**
 * Requests outside any transaction, and `begin`s, in arrival order; they wait while a
 * transaction is open. Urgent ones (acknowledging new orders) go before the rest.
 */
const waiting: WorkerRequest[] = [];
const urgent: WorkerRequest[] = [];
/**
 * Time each class held the connection lately (decaying with a 1 s time constant). When both
 * have work, urgent requests go first while they have used under URGENT_SHARE of it.
 */
const heldMs = { urgent: 0, other: 0 };
let heldSince = 0;
let holder: keyof typeof heldMs = 'other';
let decayedAt = performance.now();
const URGENT_SHARE = 0.8;
/** Each transaction's requests by its id (its `begin`'s): they run once it is the open one. */
const transactions = new Map<number, WorkerRequest[]>();
/** Transactions whose `begin` failed: their requests fail too, rather than wait for ever. */
const failedBegins = new Set<number>();
let busy = false;

port.on('message', (request: WorkerRequest) => {
  const tx = 'tx' in request ? request.tx : undefined;
  if (tx !== undefined && failedBegins.has(tx)) {
    if (request.op === 'commit' || request.op === 'rollback') failedBegins.delete(tx);
    port.postMessage({ id: request.id, ok: false, message: 'transaction did not begin' });
    return;
  }
  if (tx !== undefined) {
    const queue = transactions.get(tx);
    if (queue) queue.push(request);
    else transactions.set(tx, [request]);
  } else if ('urgent' in request && request.urgent) urgent.push(request);
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
      const request = activeTx === undefined ? next() : transactions.get(activeTx)?.shift();
      if (!request) return;
      const response = await handle(request);
      if (request.op === 'begin' && !response.ok) failBegin(request.id);
      if (activeTx === undefined) chargeHolder();
      port.postMessage(response);
    }
  } finally {
    busy = false;
  }
}

/**
 * Urgent requests (a client waits for its acknowledgement) go first, but a steady stream of them
 * gets URGENT_SHARE of the connection's time, not all of it: the downstream flow keeps moving.
 */
function next(): WorkerRequest | undefined {
  const now = performance.now();
  const decay = Math.exp(-(now - decayedAt) / 1000);
  heldMs.urgent *= decay;
  heldMs.other *= decay;
  decayedAt = now;
  const urgentTurn = urgent.length > 0 && (waiting.length === 0 || heldMs.urgent * (1 - URGENT_SHARE) <= heldMs.other * URGENT_SHARE);
  holder = urgentTurn ? 'urgent' : 'other';
  heldSince = now;
  return urgentTurn ? urgent.shift() : waiting.shift();
}

/** Charges the time since next() picked a request (a whole transaction, from BEGIN) to its class. */
function chargeHolder(): void {
  heldMs[holder] += performance.now() - heldSince;
}

function failBegin(tx: number): void {
  for (const queued of transactions.get(tx) ?? []) port.postMessage({ id: queued.id, ok: false, message: 'transaction did not begin' });
  transactions.delete(tx);
  failedBegins.add(tx);
}

async function handle(request: WorkerRequest): Promise<Exclude<WorkerResponse, { notify: string }>> {
  try {
    switch (request.op) {
      case 'query':
        return { id: request.id, ok: true, rows: await statements.query(request.sql, request.params) };
      case 'exec':
        await db.exec(request.sql);
        // A script may change tables: the prepared statements are made again from them.
        await statements.reset();
        return { id: request.id, ok: true };
      case 'begin':
        await statements.query('BEGIN');
        activeTx = request.id;
        return { id: request.id, ok: true };
      case 'commit':
      case 'rollback': {
        // PostgreSQL answers COMMIT of a failed transaction by rolling back, without an error.
        const failed = request.op === 'commit' && activeTxFailed;
        try {
          await statements.query(request.op === 'commit' && !failed ? 'COMMIT' : 'ROLLBACK');
        } finally {
          transactions.delete(request.tx);
          activeTx = undefined;
          activeTxFailed = false;
        }
        return failed ? { id: request.id, ok: false, message: 'transaction rolled back: one of its statements failed' } : { id: request.id, ok: true };
      }
      case 'listen':
        await db.listen(request.channel, () => port.postMessage({ notify: request.channel }));
        return { id: request.id, ok: true };
      case 'close':
        await db.close();
        return { id: request.id, ok: true };
    }
  } catch (error) {
    if ('tx' in request && request.tx !== undefined) activeTxFailed = true;
    const e = error as { message?: string; code?: string };
    return { id: request.id, ok: false, message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) };
  }
}
