/**
 * Every figure of issue 13 in one run, each beside its goal, then a markdown summary table:
 * ACK burst and the bare baseline's ratio, POST → FILLED at 20, 1,000 and 5,000 orders/s, server
 * CPU per filled order, restart after kill -9 with a large store, tracing's cost (issue 15), one
 * FIX client through the order-entry gateway (issue 17) and the seven-process mode.
 *
 *   npm run bench                                   # builds, starts the embedded system in its own process
 *   npm run bench -- --quick                        # smoke run: short phases, small store
 *   npm run bench -- --url http://127.0.0.1:8080    # a system already running (no CPU, no restart)
 *   npm run bench -- --profile bench-profiles       # and where the server's main thread spends each phase
 *   node --import tsx bench/order-flow.ts --help    # every option and its defaults
 *
 * Rates are open-loop: a request's latency counts from when it was due, not when it was sent, so
 * a stalled server cannot hide its stall (no coordinated omission). The load generator shares the
 * machine with the server: figures compare only within one run (see the header line).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { distributedPhase } from './distributed.js';
import { fixGatewayPhase } from './fix-gateway.js';
import { burst, referencePrices, target } from './load.js';
import { parseOptions, usage } from './options.js';
import { ackBurst, baselineBurst, lifecycles, restartAfterKill, WARM_UP_ORDERS, type Embedded } from './phases.js';
import { profiled } from './profiling/phase-profile.js';
import { header, printSummary } from './report.js';
import { cpuRate, settle, startEmbeddedSystem, type EmbeddedSystem } from './system.js';
import { tracingCost } from './tracing-cost.js';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return console.log(usage());
  const { n } = options;
  const runHeader = header();
  console.log(`# order-flow benchmark${options.quick ? ' (--quick)' : ''}\n${runHeader}`);
  console.log(
    `options: ${Object.entries(n)
      .map(([name, value]) => `--${name} ${value}`)
      .join(' ')}`,
  );

  const profileDir = options.profile === undefined || options.url ? undefined : resolve(options.profile);
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  if (options.profile !== undefined && options.url) console.log('--profile needs a server the benchmark starts itself: no profiles with --url');
  const owned: EmbeddedSystem | undefined = options.url ? undefined : await startEmbeddedSystem({}, profileDir);
  const server = owned ?? { url: options.url!, pids: () => [] };
  const to = target(server.url, Math.max(n.concurrency, n['seed-concurrency']));
  try {
    console.log(`\nsystem under test: ${server.url} (${owned ? `embedded, dist/main.js started by the benchmark, DATA_DIR ${owned.dataDir}` : 'external'})`);
    const references = await referencePrices(server.url);
    await burst(to, references, WARM_UP_ORDERS, n.concurrency, 'BENCH-WARM');
    await settle(server, 0.05, n['settle-max']);
    // What the server burns doing nothing (market data, timers): the drain test allows this much.
    // Profiled too with --profile: the sampling's own cost then counts as idle in the drain tests.
    const idleCores = owned ? await profiled(owned, 'idle', () => cpuRate(owned.pids(), 2_000)) : 0;
    if (owned) console.log(`the idle server uses ${(idleCores * 100).toFixed(0)}% of a core`);
    const embedded: Embedded = { options, server, owned, target: to, references, idleCores };

    const systemPerSecond = await ackBurst(embedded);
    const baselinePaced = await baselineBurst(embedded, systemPerSecond);
    await lifecycles(embedded, baselinePaced);
    await restartAfterKill(embedded);
  } catch (error) {
    // The distributed phase and the summary still run: say where the embedded phases stopped.
    console.log(`\nthe embedded phases stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  } finally {
    await to.pool.close();
    await owned?.stop();
  }
  await tracingCost(options, owned !== undefined).catch((error: unknown) => {
    console.log(`\nthe tracing phase stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  });
  await fixGatewayPhase(options, owned !== undefined).catch((error: unknown) => {
    console.log(`\nthe FIX gateway phase stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  });
  await distributedPhase(options, profileDir);
  printSummary(runHeader);
}

await main();
