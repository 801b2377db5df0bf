/**
 * POST → final status of MARKET orders at a fixed open-loop rate, seen by a client of the order
 * stream (the way a trading client learns of its fills), for the embedded and distributed modes.
 */
import { openLoop, openOrderStream, clientMeter, sleep, type References, type Target } from './load.js';
import { count, ms, printP99BySecond, printPercentiles, progress, report, type Percentiles } from './report.js';
import { cpuMeter, settle, type Server } from './system.js';
import { journalWriteMeter } from './journal-writes.js';

export interface LifecycleResult {
  readonly sent: number;
  readonly postErrors: number;
  readonly statuses: Record<string, number>;
  /** Acknowledged orders not final when the wait ended, plus the POSTs that were not acknowledged. */
  readonly notFinal: number;
  readonly filled: Percentiles | undefined;
  /** POST → 201, from when due. */
  readonly ack: Percentiles | undefined;
  /** Server CPU from the first POST until the flow drained, per FILLED order (ms). */
  readonly cpuPerFilledMs: number | undefined;
}

export interface LifecycleRun {
  readonly server: Server;
  readonly target: Target;
  readonly references: References;
  readonly rate: number;
  readonly seconds: number;
  readonly account: string;
  /** Seconds to wait after the last POST for every order to be final. */
  readonly finalWait: number;
  readonly idleCores: number;
  /** Longest wait for the flow to drain after the phase, in seconds (0: do not wait). */
  readonly settleMax: number;
}

export async function lifecycle(run: LifecycleRun): Promise<LifecycleResult> {
  const stream = await openOrderStream(run.server.url, run.account);
  const due = new Map<string, number>();
  const cpu = cpuMeter(run.server);
  const journal = await journalWriteMeter(run.server.url);
  const client = clientMeter();
  const posted = { count: 0 };
  const finals = () => [...due.keys()].filter((id) => stream.finals.has(id)).length;
  const stopProgress = progress(() => `${count(posted.count)} sent, ${count(due.size)} acknowledged, ${count(finals())} final`);
  try {
    const sent = await openLoop(run.target, run.references, run.rate, run.seconds, run.account, (orderId, at) => due.set(orderId, at), posted);
    let waiting = [...due.keys()];
    const deadline = performance.now() + run.finalWait * 1000;
    while (waiting.length > 0 && performance.now() < deadline) {
      await sleep(50);
      waiting = waiting.filter((id) => !stream.finals.has(id));
    }
    stopProgress();
    const clientText = client.stop();
    // Counted when the wait ends: an order that turns final later (while the flow drains) is not final.
    const filledLatencies: { at: number; value: number }[] = [];
    const statuses: Record<string, number> = {};
    for (const [orderId, at] of due) {
      const final = stream.finals.get(orderId);
      if (!final) continue;
      statuses[final.status] = (statuses[final.status] ?? 0) + 1;
      if (final.status === 'FILLED') filledLatencies.push({ at, value: final.at - at });
    }
    const settled = await settle(run.server, run.idleCores, run.settleMax);
    const filledCount = statuses.FILLED ?? 0;
    const cpuSpent = cpu.stop(filledCount);
    const stillOpen = due.size - Object.values(statuses).reduce((a, b) => a + b, 0);
    const notFinal = stillOpen + sent.errors;

    console.log(`  sent ${count(sent.sent)} MARKET DAY orders: ${count(due.size)} acknowledged, ${count(sent.errors)} POST errors`);
    console.log(`  final statuses: ${JSON.stringify(statuses)}; not final ${run.finalWait} s after the last POST: ${count(stillOpen)}`);
    const ack = printPercentiles('ACK (POST → 201, from when due)', sent.ackLatencies);
    const filled = printPercentiles(
      'POST → FILLED (from when due, seen on the stream)',
      filledLatencies.map((s) => s.value),
    );
    printP99BySecond('POST → FILLED', filledLatencies);
    const journalText = await journal.stop();
    if (journalText) console.log(`  ${journalText} (the server's histogram, until the flow drained)`);
    console.log(
      `  server CPU per FILLED order, until the flow drained: ${cpuSpent.text}${settled || run.settleMax === 0 ? '' : `  (the flow had not drained after ${run.settleMax} s)`}`,
    );
    console.log(`  ${clientText}`);
    return {
      sent: sent.sent,
      postErrors: sent.errors,
      statuses,
      notFinal,
      filled,
      ack,
      cpuPerFilledMs: cpuSpent.totalMs !== undefined && filledCount > 0 ? cpuSpent.totalMs / filledCount : undefined,
    };
  } finally {
    stopProgress();
    stream.close();
  }
}

/** The summary's name of a POST → FILLED phase in the embedded mode (another phase may be listed under it). */
export function lifecycleFigureName(rate: number, seconds: number): string {
  return `POST → FILLED, MARKET, ${count(rate)} orders/s for ${seconds} s`;
}

/** "all final, p99 < X ms": every order sent was acknowledged and reached a final status in time. */
export function reportAllFinal(name: string, p99GoalMs: number, result: LifecycleResult): void {
  const final = result.sent - result.notFinal;
  const p = result.filled;
  report({
    name,
    goal: `all final, p99 < ${count(p99GoalMs)} ms`,
    measured: `${p ? `p99 ${ms(p.p99)} (p50 ${ms(p.p50)})` : 'no FILLED order'}; ${count(final)} of ${count(result.sent)} final${result.notFinal > 0 ? ` (${count(result.notFinal)} not)` : ''}`,
    met: result.notFinal === 0 && p !== undefined && p.p99 < p99GoalMs,
  });
}
