/**
 * Starting and stopping what the benchmark measures: the embedded system (dist/main.js, in its own
 * process, on a data directory of its own that survives a kill -9 and restart) and the bare
 * baseline server (bench/baseline-server.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { cpuSpentMs, describeCpuPerOrder, threadCpu, type ThreadCpu } from './server-cpu.js';
import { sleep } from './load.js';
import { count, progress } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  readonly url: string;
  /** Process ids whose CPU the phases count (empty for a system the benchmark did not start). */
  pids(): number[];
  /** Several processes: each one's name, so a phase shows where its CPU went. */
  processName?(pid: number): string | undefined;
  /** Processes the system runs on but whose CPU the phases do not count (a database, a broker), by name: shown beside it. */
  beside?(): ReadonlyMap<string, readonly number[]>;
}

export interface EmbeddedSystem extends Server {
  readonly dataDir: string;
  /** Where bench/profiling/cpu-profiler.mjs writes the profiles (--profile), if it is preloaded. */
  readonly profileDir: string | undefined;
  /** SIGKILL: no shutdown hook runs, as when the host dies. */
  kill(): Promise<void>;
  /** Spawns the server again on the same data directory; resolves with ms from spawn to health 200. */
  restart(timeoutMs: number): Promise<number>;
  /** SIGTERM, then removes the data directory. */
  stop(): Promise<void>;
}

/**
 * `extraEnv`: settings on top of the benchmark's own (e.g. an OTLP endpoint). `profileDir`:
 * preload the CPU profiler (bench/profiling/cpu-profiler.mjs), which writes there.
 */
export async function startEmbeddedSystem(extraEnv: Readonly<Record<string, string>> = {}, profileDir?: string): Promise<EmbeddedSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oms-bench-'));
  const port = 18080 + Math.floor(Math.random() * 1000);
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    // Quiet by default; BENCH_SERVER_LOG_LEVEL=info shows when the server compacts, say, beside a slow second.
    LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn',
    OMS_VENUES: `XNYS=127.0.0.1:${port + 1000}:OMS:XNYS,XNAS=127.0.0.1:${port + 1001}:OMS:XNAS`,
    ...extraEnv,
    ...(profileDir ? { BENCH_CPU_PROFILE_DIR: profileDir } : {}),
  };
  const profiler = profileDir ? ['--import', './bench/profiling/cpu-profiler.mjs'] : [];
  // As npm start runs it; BENCH_SERVER_NODE_FLAGS adds flags (e.g. --trace-gc: when each pause was, beside a slow second).
  const flags = ['--max-semi-space-size=64', ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
  const launch = () => spawn(process.execPath, [...flags, ...profiler, 'dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  let child = launch();
  await waitHealthy(url, child, 60_000);
  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve()));
  return {
    url,
    dataDir,
    profileDir,
    pids: () => (child.pid !== undefined && child.exitCode === null && child.signalCode === null ? [child.pid] : []),
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: async (timeoutMs) => {
      const spawned = performance.now();
      child = launch();
      await waitHealthy(url, child, timeoutMs, 20);
      return performance.now() - spawned;
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited(child);
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The bare baseline: Fastify, the project's validation, a uuid v7 and one journal record with
 * group commit + fdatasync (bench/baseline-server.ts), in a process of its own like the system.
 */
export async function startBaseline(): Promise<Server & { stop(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'oms-bench-baseline-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline-server.ts', '--dir', directory], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`the baseline server exited with ${code}`)));
  });
  return {
    url,
    pids: () => (child.pid !== undefined && child.exitCode === null ? [child.pid] : []),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number, pollMs = 100): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const response = await request(`${url}/actuator/health`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
      await response.body.text();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the system exited (${child.exitCode ?? child.signalCode}) before it was healthy`);
    if (performance.now() > deadline) throw new Error(`the system was not healthy within ${(timeoutMs / 1000).toFixed(0)} s`);
    await sleep(pollMs);
  }
}

/** CPU cores the processes use now (sampled over `ms`). */
export async function cpuRate(pids: readonly number[], ms = 500): Promise<number> {
  const total = () => pids.reduce((sum, pid) => sum + [...threadCpu(pid).values()].reduce((a, b) => a + b, 0), 0);
  const before = total();
  await sleep(ms);
  return (total() - before) / ms;
}

/**
 * Waits until a phase's downstream work is done, so phases do not overlap and a phase's CPU
 * includes its drain: the outbox empty (where the server reports oms_outbox_pending) and the
 * server's CPU back near its idle rate, two half-second readings in a row. The CPU test also
 * covers a server with no outbox in process. Returns false if it gave up after `maxSeconds`.
 */
export async function settle(server: Server, idleCores: number, maxSeconds: number): Promise<boolean> {
  const deadline = performance.now() + maxSeconds * 1000;
  let quiet = 0;
  let last = { pending: 0, cores: 0 };
  const stopProgress = progress(() => `the flow drains: outbox ${count(last.pending)} pending, server at ${(last.cores * 100).toFixed(0)}% of a core`);
  try {
    while (quiet < 2) {
      if (performance.now() > deadline) return false;
      const pending = await outboxPending(server.url);
      const pids = server.pids();
      const cores = pids.length > 0 ? await cpuRate(pids) : (await sleep(500), 0);
      last = { pending, cores };
      quiet = pending === 0 && cores <= idleCores + 0.05 ? quiet + 1 : 0;
    }
    return true;
  } finally {
    stopProgress();
  }
}

async function outboxPending(url: string): Promise<number> {
  const line = (await prometheusText(url))?.split('\n').find((l) => l.startsWith('oms_outbox_pending '));
  return line ? Number(line.slice('oms_outbox_pending '.length)) : 0;
}

/** The server's metrics in Prometheus' text, or undefined when it does not answer. */
export async function prometheusText(url: string): Promise<string | undefined> {
  try {
    const response = await request(`${url}/actuator/prometheus`, { headersTimeout: 5_000 });
    return await response.body.text();
  } catch {
    return undefined;
  }
}

/** Bytes under a directory (what a restart has to deal with). */
export function directoryBytes(path: string): number {
  let bytes = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      bytes += statSync(join(entry.parentPath, entry.name)).size;
    } catch {
      // removed while listing
    }
  }
  return bytes;
}

/**
 * The server's CPU from now until stop(): the total over its processes, and for a single process
 * the split between its main thread and its busiest other thread (in the embedded mode, PGlite's).
 */
export function cpuMeter(server: Server): { stop(orders: number): { totalMs: number | undefined; text: string } } {
  const pids = server.pids();
  const beside = server.beside?.() ?? new Map<string, readonly number[]>();
  const measured = [...new Set([...pids, ...[...beside.values()].flat()])];
  const before = new Map<number, ThreadCpu>(measured.map((pid) => [pid, threadCpu(pid)]));
  return {
    stop: (orders) => {
      const after = new Map<number, ThreadCpu>(measured.map((pid) => [pid, threadCpu(pid)]));
      if (pids.length === 0 || pids.every((pid) => after.get(pid)!.size === 0))
        return { totalMs: undefined, text: 'not measured (needs Linux /proc and a server started by the benchmark)' };
      const spentMs = (pid: number): number => cpuSpentMs(before.get(pid)!, after.get(pid)!);
      const totalMs = pids.reduce((sum, pid) => sum + spentMs(pid), 0);
      const text =
        pids.length === 1
          ? describeCpuPerOrder(pids[0]!, before.get(pids[0]!)!, after.get(pids[0]!)!, orders)
          : `${perOrder(totalMs, orders)} ms in the ${pids.length} service processes (${(totalMs / 1000).toFixed(1)} s of CPU)` +
            `${split(
              pids.map((pid) => [server.processName?.(pid) ?? String(pid), spentMs(pid)]),
              orders,
            )}` +
            (beside.size > 0
              ? `; beside them, ${split(
                  [...beside].map(([name, group]) => [name, group.reduce((sum, pid) => sum + spentMs(pid), 0)]),
                  orders,
                  '',
                )}`
              : '');
      return { totalMs, text };
    },
  };
}

const perOrder = (ms: number, orders: number): string => (orders > 0 ? (ms / orders).toFixed(2) : '—');

/** Named CPU times per order, the largest first: ": a 0.61, b 0.40 ms per order". */
function split(parts: readonly (readonly [name: string, ms: number])[], orders: number, lead = ': '): string {
  const sorted = [...parts].sort((a, b) => b[1] - a[1]);
  return `${lead}${sorted.map(([name, ms]) => `${name} ${perOrder(ms, orders)}`).join(', ')} ms per order`;
}
