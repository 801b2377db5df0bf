/**
 * The embedded system's phases: the ACK burst, the bare baseline's burst, the lifecycle at three
 * rates (with the CPU per filled order), and the restart after kill -9 with a large store.
 */
import { request } from 'undici';
import { lifecycle, lifecycleFigureName, reportAllFinal } from './lifecycle.js';
import { burst, clientMeter, openLoop, target, type References, type Target } from './load.js';
import type { Options } from './options.js';
import { profiled } from './profiling/phase-profile.js';
import { count, ms, notMeasured, printPercentiles, report, section, type Percentiles } from './report.js';
import { cpuMeter, directoryBytes, settle, startBaseline, type EmbeddedSystem, type Server } from './system.js';

export interface Embedded {
  readonly options: Options;
  readonly server: Server;
  /** Set when the benchmark started the system itself (CPU figures, restart phase). */
  readonly owned: EmbeddedSystem | undefined;
  readonly target: Target;
  readonly references: References;
  readonly idleCores: number;
}

export const WARM_UP_ORDERS = 500;

/** ACK burst on the system; returns its orders per second for the baseline's ratio. */
export async function ackBurst(e: Embedded): Promise<number> {
  const { n } = e.options;
  section(`ACK throughput: a burst of ${count(n['ack-orders'])} IOC orders, ${n.concurrency} in flight`);
  const cpu = cpuMeter(e.server);
  const client = clientMeter();
  const { result, clientText, settled } = await profiled(e.owned, 'ack-burst', async () => {
    const result = await burst(e.target, e.references, n['ack-orders'], n.concurrency, 'BENCH-ACK');
    const clientText = client.stop();
    return { result, clientText, settled: await settle(e.server, e.idleCores, n['settle-max']) };
  });
  console.log(`  ${count(result.latencies.length)} acknowledged in ${result.seconds.toFixed(2)} s, ${count(result.errors)} errors`);
  const p = printPercentiles('ACK latency (from send)', result.latencies);
  console.log(`  server CPU per order, flow included: ${cpu.stop(result.latencies.length).text}${settled ? '' : `  (not drained after ${n['settle-max']} s)`}`);
  console.log(`  ${clientText}`);
  report({
    name: `ACK, ${n.concurrency} in flight (${count(n['ack-orders'])}-order burst)`,
    goal: '≥ 15,000/s',
    measured: `${count(result.perSecond)}/s (p50 ${p ? ms(p.p50) : '—'}, p99 ${p ? ms(p.p99) : '—'}${result.errors ? `, ${count(result.errors)} errors` : ''})`,
    met: result.errors === 0 && result.perSecond >= 15_000,
  });
  return result.perSecond;
}

/** Seconds of the baseline's paced run (at the slow lifecycle's rate), at most. */
const BASELINE_PACED_SECONDS = 10;

/**
 * The same burst, by the same load generator, against the bare Fastify + journal baseline; then
 * the baseline paced at the slow lifecycle's rate, whose ACK latency (returned) is the floor of
 * one request at a time on this machine, idle between requests.
 */
export async function baselineBurst(e: Embedded, systemPerSecond: number): Promise<Percentiles | undefined> {
  const { n } = e.options;
  const name = 'ACK vs bare Fastify + the same durable write (same run)';
  section(`Bare baseline (bench/baseline-server.ts: Fastify, validateNewOrder, uuid v7, FileJournal with fdatasync): the same burst`);
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  try {
    baseline = await startBaseline();
    const to = target(baseline.url, n.concurrency);
    try {
      await burst(to, e.references, WARM_UP_ORDERS, n.concurrency, 'BENCH-WARM');
      const cpu = cpuMeter(baseline);
      const result = await burst(to, e.references, n['ack-orders'], n.concurrency, 'BENCH-ACK');
      console.log(
        `  ${count(result.latencies.length)} acknowledged in ${result.seconds.toFixed(2)} s, ${count(result.errors)} errors: ${count(result.perSecond)}/s`,
      );
      const p = printPercentiles('ACK latency (from send)', result.latencies);
      console.log(`  baseline CPU per order: ${cpu.stop(result.latencies.length).text}`);
      const ratio = systemPerSecond / result.perSecond;
      report({
        name,
        goal: '≥ 0.8',
        measured: `${ratio.toFixed(2)} (system ${count(systemPerSecond)}/s, baseline ${count(result.perSecond)}/s, baseline p99 ${p ? ms(p.p99) : '—'})`,
        met: result.errors === 0 && ratio >= 0.8,
      });
      return await pacedBaseline(e, to);
    } finally {
      await to.pool.close();
    }
  } catch (error) {
    notMeasured(name, '≥ 0.8', `the baseline failed: ${firstLine(error)}`);
  } finally {
    await baseline?.stop();
  }
  return undefined;
}

/** The baseline at the slow lifecycle's rate: ACK latency when each request finds the machine idle. */
async function pacedBaseline(e: Embedded, to: Target): Promise<Percentiles | undefined> {
  const rate = e.options.n['slow-rate'];
  const seconds = Math.min(e.options.n['slow-seconds'], BASELINE_PACED_SECONDS);
  if (seconds <= 0) return undefined;
  const paced = await openLoop(to, e.references, rate, seconds, 'BENCH-PACED', () => undefined);
  return printPercentiles(
    `baseline ACK at ${count(rate)} orders/s for ${seconds} s (from when due; the floor of a request that finds the machine idle)`,
    paced.ackLatencies,
  );
}

/** POST → FILLED at a nearly idle rate, at 1,000/s (with CPU per filled order) and at 5,000/s. */
export async function lifecycles(e: Embedded, baselinePaced: Percentiles | undefined): Promise<void> {
  const { n } = e.options;
  const common = {
    server: e.server,
    target: e.target,
    references: e.references,
    finalWait: n['final-wait'],
    idleCores: e.idleCores,
    settleMax: n['settle-max'],
  };
  const rates = `${count(n['slow-rate'])} orders/s`;

  section(`POST → FILLED at ${rates} for ${n['slow-seconds']} s (MARKET)`);
  const slow = await profiled(e.owned, `lifecycle-${n['slow-rate']}`, () =>
    lifecycle({ ...common, rate: n['slow-rate'], seconds: n['slow-seconds'], account: 'BENCH-LC-SLOW' }),
  );
  const p = slow.filled;
  report({
    name: `POST → FILLED at ${rates}`,
    goal: 'p50 < 5 ms, p99 < 20 ms',
    measured: p
      ? `p50 ${ms(p.p50)}, p99 ${ms(p.p99)} (${count(p.n)} FILLED, ${count(slow.notFinal)} not final)${pacedAcks(slow.ack, baselinePaced)}`
      : 'no FILLED order',
    met: p !== undefined && p.p50 < 5 && p.p99 < 20,
  });

  section(`POST → FILLED at ${count(n.rate)} orders/s for ${n.seconds} s (MARKET), and server CPU per filled order`);
  const mid = await profiled(e.owned, `lifecycle-${n.rate}`, () => lifecycle({ ...common, rate: n.rate, seconds: n.seconds, account: 'BENCH-LC-MID' }));
  reportAllFinal(lifecycleFigureName(n.rate, n.seconds), 50, mid);
  const cpu = mid.cpuPerFilledMs;
  if (cpu === undefined)
    notMeasured(
      `server CPU per filled order at ${count(n.rate)}/s`,
      '≤ 0.3 ms',
      e.owned ? 'no order was FILLED' : 'needs a system started by the benchmark (Linux /proc)',
    );
  else
    report({
      name: `server CPU per filled order at ${count(n.rate)}/s`,
      goal: '≤ 0.3 ms',
      measured: `${cpu.toFixed(2)} ms (all threads, until the flow drained)`,
      met: cpu <= 0.3,
    });

  section(`POST → FILLED at ${count(n['high-rate'])} orders/s for ${n['high-seconds']} s (MARKET)`);
  const high = await profiled(e.owned, `lifecycle-${n['high-rate']}`, () =>
    lifecycle({ ...common, rate: n['high-rate'], seconds: n['high-seconds'], account: 'BENCH-LC-HIGH' }),
  );
  reportAllFinal(lifecycleFigureName(n['high-rate'], n['high-seconds']), 250, high);
}

/**
 * Brings the store to N orders through the HTTP API (counting every order the run already
 * stored), lets the flow drain, kills the server with SIGKILL and times its restart on the same
 * data directory until /actuator/health answers 200.
 */
export async function restartAfterKill(e: Embedded): Promise<void> {
  const { n } = e.options;
  const wanted = n['restart-orders'];
  const name = `restart after kill -9 with ${count(wanted)} orders stored`;
  if (wanted === 0) return notMeasured(name, 'healthy < 10 s', 'skipped (--restart-orders 0)');
  if (!e.owned) return notMeasured(name, 'healthy < 10 s', 'needs a system started by the benchmark (not --url)');
  const system = e.owned;
  section(`Restart after kill -9 with ${count(wanted)} orders stored`);

  const toSeed = Math.max(0, wanted - e.target.acked);
  console.log(
    `  the store holds the ${count(e.target.acked)} orders this run acknowledged${toSeed > 0 ? `; seeding ${count(toSeed)} more` : ': no seeding needed'}`,
  );
  if (toSeed > 0) {
    const seeded = await burst(e.target, e.references, toSeed, n['seed-concurrency'], 'BENCH-SEED');
    console.log(
      `  seeding: ${count(seeded.latencies.length)} orders in ${seeded.seconds.toFixed(1)} s (${count(seeded.perSecond)}/s, ${count(seeded.errors)} errors) by HTTP POST /api/v1/orders, ${n['seed-concurrency']} in flight, IOC LIMIT orders that the flow cancels`,
    );
  }
  const drainStart = performance.now();
  const settled = await settle(system, e.idleCores, n['settle-max']);
  console.log(
    `  flow drained in ${((performance.now() - drainStart) / 1000).toFixed(1)} s${settled ? '' : ` (gave up after ${n['settle-max']} s: the kill lands on a busy server)`}`,
  );
  const stored = e.target.acked;
  const lastOrderId = e.target.lastOrderId;
  console.log(`  store: ${count(stored)} orders acknowledged, data directory ${(directoryBytes(system.dataDir) / 2 ** 20).toFixed(0)} MiB`);

  await system.kill();
  let restartMs: number;
  try {
    restartMs = await system.restart(600_000);
  } catch (error) {
    return notMeasured(name, 'healthy < 10 s', `the restarted system never became healthy: ${firstLine(error)}`);
  }
  console.log(`  SIGKILL, then spawn → /actuator/health 200 in ${ms(restartMs)}`);
  if (lastOrderId) {
    const response = await request(`${system.url}/api/v1/orders/${lastOrderId}`);
    await response.body.text();
    console.log(`  GET of the last acknowledged order after the restart: ${response.statusCode}`);
  }
  report({
    name: `restart after kill -9 with ${count(stored)} orders stored`,
    goal: 'healthy < 10 s',
    measured: `${ms(restartMs)} (spawn → health 200)`,
    met: stored >= wanted && restartMs < 10_000,
  });
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** ", ACK p50 … (bare baseline at the same rate: ACK p50 …, p99 …)": how much of a slow order's time is the machine's floor. */
function pacedAcks(system: Percentiles | undefined, baseline: Percentiles | undefined): string {
  if (!system) return '';
  return `; ACK p50 ${ms(system.p50)}${baseline ? ` (bare baseline at the same rate: ACK p50 ${ms(baseline.p50)}, p99 ${ms(baseline.p99)})` : ''}`;
}
