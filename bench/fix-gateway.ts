/**
 * The clients' FIX door under load (issue 17): a fresh embedded system with the order-entry
 * gateway on, one client session on the project's own engine (as test/support/fix-client.ts, with
 * a memory store: the client's disk is not what is measured) sending MARKET NewOrderSingles
 * open-loop, each timed from when it was due to the ExecutionReport that says FILLED (39=2), with
 * the server's CPU per filled order. Listed in the summary under the REST figure at 1,000/s.
 */
import { freePort } from '../test/support/processes.js';
import { fix44, FixInitiator, MemoryStore, type FixMessage } from '../src/fix/index.js';
import { lifecycleFigureName } from './lifecycle.js';
import { atRate, burst, clientMeter, orderTerms, referencePrices, sleep, target, type Target } from './load.js';
import type { Options } from './options.js';
import { WARM_UP_ORDERS } from './phases.js';
import { count, ms, notMeasured, percentiles, printPercentiles, progress, report, section, type Percentiles } from './report.js';
import { cpuMeter, cpuRate, settle, startEmbeddedSystem, type EmbeddedSystem } from './system.js';

const ACCOUNT = 'BENCH-FIX';
const CLIENT = 'BENCH';
const GATEWAY = 'OMS';
const GOAL = 'beside REST (issue 17 sets no goal)';
/** OrdStatus (39) values that end an order. */
const FINAL: Readonly<Record<string, string>> = { '2': 'FILLED', '4': 'CANCELED', '8': 'REJECTED', C: 'EXPIRED' };

export async function fixGatewayPhase(options: Options, owned: boolean): Promise<void> {
  const { n } = options;
  const name = `FIX NewOrderSingle → filling ExecutionReport, MARKET, one session, ${count(n['fix-rate'])} orders/s for ${n['fix-seconds']} s`;
  const after = lifecycleFigureName(n.rate, n.seconds);
  if (n['fix-rate'] === 0 || n['fix-seconds'] === 0) return notMeasured(name, GOAL, `skipped (--${n['fix-rate'] === 0 ? 'fix-rate' : 'fix-seconds'} 0)`, after);
  if (!owned) return notMeasured(name, GOAL, 'needs a system started by the benchmark (not --url): the gateway is configured at start', after);
  section(`FIX order-entry gateway: ${count(n['fix-rate'])} MARKET orders/s from one client session for ${n['fix-seconds']} s, on a fresh system`);

  let system: EmbeddedSystem | undefined;
  let client: BenchFixClient | undefined;
  let to: Target | undefined;
  try {
    const gatewayPort = await freePort();
    system = await startEmbeddedSystem({ FIX_GATEWAY_PORT: String(gatewayPort), FIX_GATEWAY_SESSIONS: `${CLIENT}:${GATEWAY}=${ACCOUNT}` });
    to = target(system.url, n.concurrency);
    client = new BenchFixClient(gatewayPort);
    await client.start();
    // The same warm-up as every system of the benchmark, then the FIX path's own.
    await burst(to, await referencePrices(system.url), WARM_UP_ORDERS, n.concurrency, 'BENCH-WARM');
    await client.run(n['fix-rate'], WARM_UP_ORDERS / n['fix-rate'], 'W', n['final-wait']);
    await settle(system, 0.05, n['settle-max']);
    const idleCores = await cpuRate(system.pids(), 2_000);

    const cpu = cpuMeter(system);
    const load = clientMeter();
    const run = await client.run(n['fix-rate'], n['fix-seconds'], 'M', n['final-wait']);
    const loadText = load.stop();
    const settled = await settle(system, idleCores, n['settle-max']);
    const filledCount = run.statuses.FILLED ?? 0;
    const cpuSpent = cpu.stop(filledCount);

    console.log(
      `  sent ${count(run.sent)} NewOrderSingles: final statuses ${JSON.stringify(run.statuses)}; not final ${n['final-wait']} s after the last: ${count(run.notFinal)}`,
    );
    printPercentiles('NewOrderSingle → ExecutionReport New (from when due)', run.newLatencies);
    printPercentiles('NewOrderSingle → ExecutionReport FILLED (from when due)', run.filledLatencies);
    console.log(`  FILLED orders per second, first due → last FILLED report: ${count(run.filledPerSecond)}/s`);
    console.log(
      `  server CPU per FILLED order, until the flow drained: ${cpuSpent.text}${settled ? '' : `  (the flow had not drained after ${n['settle-max']} s)`}`,
    );
    console.log(`  ${loadText}`);
    const p = percentiles(run.filledLatencies);
    const cpuPerFilled =
      cpuSpent.totalMs !== undefined && filledCount > 0 ? `; server CPU ${(cpuSpent.totalMs / filledCount).toFixed(2)} ms per filled order` : '';
    report(
      {
        name,
        goal: GOAL,
        measured: `${describe(p)}; ${count(run.sent - run.notFinal)} of ${count(run.sent)} final${run.notFinal > 0 ? ` (${count(run.notFinal)} not)` : ''}, ${count(filledCount)} FILLED at ${count(run.filledPerSecond)}/s${cpuPerFilled}`,
        met: undefined,
      },
      after,
    );
  } catch (error) {
    notMeasured(name, GOAL, `the phase stopped: ${error instanceof Error ? error.message : String(error)}`, after);
  } finally {
    await client?.stop();
    await to?.pool.close();
    await system?.stop();
  }
}

const describe = (p: Percentiles | undefined): string => (p ? `p99 ${ms(p.p99)} (p50 ${ms(p.p50)})` : 'no FILLED order');

interface FixRun {
  readonly sent: number;
  readonly notFinal: number;
  readonly statuses: Record<string, number>;
  readonly newLatencies: number[];
  readonly filledLatencies: number[];
  readonly filledPerSecond: number;
}

/** One order-entry session: sends NewOrderSingles on the open loop's clock and times their reports. */
class BenchFixClient {
  private readonly initiator: FixInitiator;
  /** ClOrdID → when its NewOrderSingle was due, for the orders of the run in progress. */
  private due = new Map<string, number>();
  private newAt = new Map<string, number>();
  private finals = new Map<string, { readonly status: string; readonly at: number }>();

  constructor(port: number) {
    this.initiator = new FixInitiator(
      { host: '127.0.0.1', port, senderCompId: CLIENT, targetCompId: GATEWAY, heartBtIntSeconds: 30, store: new MemoryStore(), reconnectMs: 100 },
      { fromApp: (message) => this.received(message) },
    );
  }

  async start(): Promise<void> {
    await this.initiator.start();
    await this.initiator.session.loggedOn();
  }

  stop(): Promise<void> {
    return this.initiator.stop();
  }

  /** `prefix` keeps each run's ClOrdIDs apart: a session never takes one twice. */
  async run(rate: number, seconds: number, prefix: string, finalWaitSeconds: number): Promise<FixRun> {
    this.due = new Map();
    this.newAt = new Map();
    this.finals = new Map();
    const stopProgress = progress(() => `${count(this.due.size)} sent, ${count(this.newAt.size)} New, ${count(this.finals.size)} final`);
    try {
      const start = performance.now();
      const sent = await atRate(rate, seconds, (i, due) => {
        const clOrdId = `${prefix}-${i}`;
        this.due.set(clOrdId, due);
        this.initiator.session.send(
          fix44.newOrderSingle({ clOrdId, ...orderTerms(i), orderQty: '100', ordType: 'MARKET', timeInForce: 'DAY', transactTime: new Date() }),
        );
      });
      const deadline = performance.now() + finalWaitSeconds * 1000;
      while (this.finals.size < sent && performance.now() < deadline) await sleep(50);
      const statuses: Record<string, number> = {};
      const filledLatencies: number[] = [];
      let lastFilled = start;
      for (const [clOrdId, final] of this.finals) {
        statuses[final.status] = (statuses[final.status] ?? 0) + 1;
        if (final.status !== 'FILLED') continue;
        filledLatencies.push(final.at - this.due.get(clOrdId)!);
        lastFilled = Math.max(lastFilled, final.at);
      }
      const newLatencies = [...this.newAt].map(([clOrdId, at]) => at - this.due.get(clOrdId)!);
      const filledPerSecond = filledLatencies.length > 0 ? filledLatencies.length / ((lastFilled - start) / 1000) : 0;
      return { sent, notFinal: sent - this.finals.size, statuses, newLatencies, filledLatencies, filledPerSecond };
    } finally {
      stopProgress();
    }
  }

  private received(message: FixMessage): void {
    if (message.msgType !== '8') return;
    const at = performance.now();
    const clOrdId = message.get(11);
    if (clOrdId === undefined || !this.due.has(clOrdId)) return;
    // ExecType 0: the order is stored and acknowledged (the REST phases' 201).
    if (message.get(150) === '0' && !this.newAt.has(clOrdId)) this.newAt.set(clOrdId, at);
    const status = FINAL[message.get(39) ?? ''];
    if (status !== undefined && !this.finals.has(clOrdId)) this.finals.set(clOrdId, { status, at });
  }
}
