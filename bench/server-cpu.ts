/**
 * CPU time of a local server process, per thread, from Linux's /proc (utime + stime). Latency on
 * a shared 2-core machine swings from run to run; the CPU a phase costs per order is steadier,
 * so it shows whether a change made the work smaller.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node runs on

/** CPU milliseconds by thread id; empty where /proc is missing (not Linux). */
export type ThreadCpu = ReadonlyMap<number, number>;

export function threadCpu(pid: number): ThreadCpu {
  const tasks = `/proc/${pid}/task`;
  const cpu = new Map<number, number>();
  if (!existsSync(tasks)) return cpu;
  for (const tid of readdirSync(tasks)) {
    try {
      // The command name in parentheses may hold spaces: fields are counted after its ')'.
      const stat = readFileSync(`${tasks}/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return cpu;
}

/**
 * What the process spent between two readings, per order: all threads, the main thread (its id
 * is the process id) and the busiest other thread (in the embedded mode, the PGlite worker).
 */
export function describeCpuPerOrder(pid: number, before: ThreadCpu, after: ThreadCpu, orders: number): string {
  if (after.size === 0 || orders === 0) return 'not measured (needs Linux /proc and a server started by the benchmark)';
  const spent = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
  const perOrder = (ms: number) => `${(ms / orders).toFixed(2)} ms`;
  const total = cpuSpentMs(before, after);
  const main = spent.find(([tid]) => tid === pid)?.[1] ?? 0;
  const busiestOther = Math.max(0, ...spent.filter(([tid]) => tid !== pid).map(([, ms]) => ms));
  return `${perOrder(total)} in all threads; main thread ${perOrder(main)}, busiest other thread ${perOrder(busiestOther)}`;
}

/** CPU milliseconds all threads spent between two readings of one process. */
export function cpuSpentMs(before: ThreadCpu, after: ThreadCpu): number {
  let total = 0;
  for (const [tid, ms] of after) total += ms - (before.get(tid) ?? 0);
  return total;
}
