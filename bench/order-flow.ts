/**
 * Drives the running system over HTTP and prints ACK throughput, ACK latency percentiles at a
 * fixed rate, and the full lifecycle latency (POST to FILLED, observed on the order stream).
 *
 *   npm run bench                       # builds, starts the embedded system in its own process, measures, stops it
 *   npm run bench -- --url http://127.0.0.1:8080   # measures a system that is already running
 *
 * Options: --ack-orders N (30000) --concurrency N (128) --ack-rate N (2000) --lifecycle-rate N (1000) --seconds N (10)
 * Rates are open-loop: each request's latency counts from when it was due, not when it was sent,
 * so a stalled server cannot hide its stall (no coordinated omission).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool, request } from 'undici';
import { describeCpuPerOrder, threadCpu } from './server-cpu.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    'ack-orders': { type: 'string', default: '30000' },
    concurrency: { type: 'string', default: '128' },
    'ack-rate': { type: 'string', default: '2000' },
    'lifecycle-rate': { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
  },
});

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA', 'SPY'];
const run = Date.now().toString(36);

interface Snapshot {
  orderId: string;
  status: string;
}

async function main(): Promise<void> {
  const started = args.url ? undefined : await startSystem();
  const baseUrl = args.url ?? started!.url;
  const pool = new Pool(baseUrl, { connections: Number(args.concurrency), pipelining: 1 });
  try {
    console.log(`# order-flow benchmark against ${baseUrl} (${started ? 'embedded system started by the benchmark' : 'external system'})`);
    const references = await referencePrices(baseUrl);
    await warmUp(pool, references);
    await settle(baseUrl);

    // Each phase's CPU is read from before it starts until its downstream flow has drained.
    const cpuOf = async <T>(phase: () => Promise<T>, orders: (result: T) => number): Promise<{ result: T; cpu: string }> => {
      const before = started ? threadCpu(started.pid) : new Map<number, number>();
      const result = await phase();
      await settle(baseUrl);
      const after = started ? threadCpu(started.pid) : new Map<number, number>();
      return { result, cpu: describeCpuPerOrder(started?.pid ?? 0, before, after, orders(result)) };
    };

    const burst = await cpuOf(() => ackThroughput(pool, references, Number(args['ack-orders']), Number(args.concurrency)), (r) => r.latencies.length);
    console.log(`\nACK throughput: ${burst.result.count} orders, ${args.concurrency} in flight: ${burst.result.perSecond.toFixed(0)} orders/s acknowledged (${burst.result.errors} errors)`);
    printPercentiles('  ACK latency (burst)', burst.result.latencies);
    console.log(`  server CPU per order, flow included: ${burst.cpu}`);

    const fixed = await cpuOf(() => atFixedRate(pool, references, Number(args['ack-rate']), Number(args.seconds), 'IOC'), (r) => r.latencies.length);
    console.log(`\nACK latency at ${args['ack-rate']} orders/s for ${args.seconds} s: ${fixed.result.latencies.length} orders (${fixed.result.errors} errors)`);
    printPercentiles('  ACK latency', fixed.result.latencies);
    console.log(`  server CPU per order, flow included: ${fixed.cpu}`);

    const lifecycle = await cpuOf(() => lifecycleAtRate(baseUrl, pool, references, Number(args['lifecycle-rate']), Number(args.seconds)), (r) => r.sent);
    console.log(`\nLifecycle at ${args['lifecycle-rate']} orders/s for ${args.seconds} s (MARKET DAY, POST to final status on the stream):`);
    console.log(`  final statuses: ${JSON.stringify(lifecycle.result.statuses)}; not final after 30 s: ${lifecycle.result.unfinished}`);
    printPercentiles('  POST to FILLED', lifecycle.result.latencies);
    console.log(`  server CPU per order: ${lifecycle.cpu}`);
  } finally {
    await pool.close();
    if (started) await started.stop();
  }
}

function orderBody(references: Map<string, number>, index: number, kind: 'IOC' | 'MARKET', account: string): string {
  const symbol = SYMBOLS[index % SYMBOLS.length]!;
  const side = index % 2 === 0 ? 'BUY' : 'SELL';
  const body: Record<string, unknown> = {
    clientOrderId: `${run}-${account}-${index}`,
    accountId: account,
    symbol,
    side,
    orderType: kind === 'MARKET' ? 'MARKET' : 'LIMIT',
    quantity: 100,
    timeInForce: kind === 'MARKET' ? 'DAY' : 'IOC',
  };
  if (kind === 'IOC') {
    // Cents, as integers, so the price sent is an exact decimal string.
    const cents = references.get(symbol)! + (side === 'BUY' ? -5 : 5);
    body.limitPrice = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  }
  return JSON.stringify(body);
}

async function post(pool: Pool, body: string): Promise<{ ok: boolean; order?: Snapshot }> {
  const response = await pool.request({ method: 'POST', path: '/api/v1/orders', headers: { 'content-type': 'application/json' }, body });
  const text = await response.body.text();
  if (response.statusCode !== 201 && response.statusCode !== 200) return { ok: false };
  return { ok: true, order: JSON.parse(text) as Snapshot };
}

async function warmUp(pool: Pool, references: Map<string, number>): Promise<void> {
  await Promise.all(Array.from({ length: 500 }, (_, i) => post(pool, orderBody(references, i, 'IOC', 'BENCH-WARM'))));
}

async function ackThroughput(pool: Pool, references: Map<string, number>, count: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const sent = performance.now();
        const result = await post(pool, orderBody(references, index, 'IOC', 'BENCH-ACK'));
        if (result.ok) latencies.push(performance.now() - sent);
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { count, perSecond: latencies.length / seconds, latencies, errors };
}

/** Open-loop load: request i is due at start + i/rate; its latency counts from then. */
async function atFixedRate(pool: Pool, references: Map<string, number>, rate: number, seconds: number, kind: 'IOC' | 'MARKET', account = 'BENCH-RATE', onAck?: (orderId: string, due: number) => void) {
  const total = rate * seconds;
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      post(pool, orderBody(references, i, kind, account)).then((result) => {
        if (!result.ok || !result.order) {
          errors++;
          return;
        }
        latencies.push(performance.now() - due);
        onAck?.(result.order.orderId, due);
      }),
    );
  }
  await Promise.all(inFlight);
  return { latencies, errors };
}

async function lifecycleAtRate(baseUrl: string, pool: Pool, references: Map<string, number>, rate: number, seconds: number) {
  const account = `BENCH-LC-${run}`;
  const due = new Map<string, number>();
  const finals = new Map<string, { status: string; at: number }>();
  const stream = await openStream(baseUrl, account, (order) => {
    if (['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'].includes(order.status) && !finals.has(order.orderId)) {
      finals.set(order.orderId, { status: order.status, at: performance.now() });
    }
  });
  try {
    const sent = await atFixedRate(pool, references, rate, seconds, 'MARKET', account, (orderId, at) => due.set(orderId, at));
    const deadline = performance.now() + 30_000;
    while ([...due.keys()].some((id) => !finals.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    for (const [orderId, start] of due) {
      const final = finals.get(orderId);
      if (!final) continue;
      statuses[final.status] = (statuses[final.status] ?? 0) + 1;
      if (final.status === 'FILLED') latencies.push(final.at - start);
    }
    return { latencies, statuses, sent: due.size, unfinished: due.size - finals.size + sent.errors };
  } finally {
    stream.close();
  }
}

async function openStream(baseUrl: string, accountId: string, onOrder: (order: Snapshot) => void): Promise<{ close(): void }> {
  const controller = new AbortController();
  const response = await request(`${baseUrl}/api/v1/orders/stream?accountId=${encodeURIComponent(accountId)}`, { signal: controller.signal });
  let buffer = '';
  response.body.setEncoding('utf8');
  response.body.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').find((line) => line.startsWith('data: '));
      if (data) onOrder(JSON.parse(data.slice(6)) as Snapshot);
    }
  });
  response.body.on('error', () => undefined);
  return { close: () => controller.abort() };
}

/** Reference prices in cents, from the market data endpoint. */
async function referencePrices(baseUrl: string): Promise<Map<string, number>> {
  const prices = new Map<string, number>();
  for (const symbol of SYMBOLS) {
    const response = await request(`${baseUrl}/api/v1/marketdata/${symbol}`);
    const body = (await response.body.json()) as { referencePrice: string };
    const [whole, fraction = ''] = body.referencePrice.split('.');
    prices.set(symbol, Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2)));
  }
  return prices;
}

/** Lets the downstream flow drain between phases, so one phase's backlog does not load the next. */
/**
 * Waits until the previous phase's events have left the outbox (two readings in a row, half a
 * second apart), so phases do not overlap. Works for both modes: each reports oms_outbox_pending.
 */
async function settle(baseUrl: string): Promise<void> {
  let idleReadings = 0;
  for (let i = 0; i < 600 && idleReadings < 2; i++) {
    const response = await request(`${baseUrl}/actuator/prometheus`);
    const text = await response.body.text();
    idleReadings = metric(text, 'oms_outbox_pending') === 0 ? idleReadings + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

function printPercentiles(label: string, latencies: number[]): void {
  if (latencies.length === 0) {
    console.log(`${label}: no samples`);
    return;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  console.log(`${label} (ms): p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  p99.9 ${at(0.999)}  max ${sorted.at(-1)!.toFixed(2)}  (n=${sorted.length})`);
}

async function startSystem(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oms-bench-'));
  const port = 18080 + Math.floor(Math.random() * 1000);
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      OMS_VENUES: `XNYS=127.0.0.1:${port + 1000}:OMS:XNYS,XNAS=127.0.0.1:${port + 1001}:OMS:XNAS`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const response = await request(`${url}/actuator/health`);
      await response.body.text();
      if (response.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 600 || child.exitCode !== null) throw new Error('the system did not become healthy within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

await main();
