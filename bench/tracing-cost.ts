/**
 * What OpenTelemetry tracing costs the order flow: the same lifecycle load on two fresh embedded
 * systems, one with tracing off (no OTLP endpoint: the flow's only cost is one `enabled` check per
 * step) and one exporting every order's spans over OTLP/HTTP to a receiver in this process.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lifecycle, type LifecycleResult } from './lifecycle.js';
import { burst, referencePrices, target } from './load.js';
import type { Options } from './options.js';
import { count, ms, notMeasured, report, section } from './report.js';
import { settle, startEmbeddedSystem, cpuRate } from './system.js';
import { WARM_UP_ORDERS } from './phases.js';

const NAME = 'tracing: CPU per filled order, OTLP export on vs off';
const GOAL = 'off: nothing measurable';

export async function tracingCost(options: Options, owned: boolean): Promise<void> {
  const { n } = options;
  if (n['tracing-seconds'] === 0) return notMeasured(NAME, GOAL, 'skipped (--tracing-seconds 0)');
  if (!owned) return notMeasured(NAME, GOAL, 'needs systems started by the benchmark (not --url)');
  section(`Tracing's cost: ${count(n.rate)} MARKET orders/s for ${n['tracing-seconds']} s on a fresh system with tracing off, then on one exporting over OTLP`);
  const receiver = await startOtlpReceiver();
  try {
    console.log('  tracing off (OTEL_SDK_DISABLED=true):');
    const off = await measure(options, { OTEL_SDK_DISABLED: 'true' });
    console.log(`  tracing on (OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url}, the SDK's default batching):`);
    const on = await measure(options, { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const filled = on.result.statuses.FILLED ?? 0;
    console.log(
      `  the receiver got ${count(receiver.spans)} spans in ${count(receiver.requests)} exports (${filled > 0 ? (receiver.spans / filled).toFixed(1) : '—'} per FILLED order)`,
    );
    if (off.cpuMs === undefined || on.cpuMs === undefined) return notMeasured(NAME, GOAL, 'no CPU figure (needs Linux /proc and FILLED orders)');
    const p = (r: LifecycleResult) => (r.filled ? `p99 ${ms(r.filled.p99)}` : 'no FILLED order');
    report({
      name: NAME,
      goal: GOAL,
      measured: `off ${off.cpuMs.toFixed(2)} ms, on ${on.cpuMs.toFixed(2)} ms at ${count(n.rate)}/s (POST → FILLED off ${p(off.result)}, on ${p(on.result)}; ${count(receiver.spans)} spans exported)`,
      // Off is the flow as every other phase runs it; its only tracing cost is a boolean check per step.
      met: undefined,
    });
  } finally {
    await receiver.close();
  }
}

async function measure(options: Options, env: Record<string, string>): Promise<{ result: LifecycleResult; cpuMs: number | undefined }> {
  const { n } = options;
  const system = await startEmbeddedSystem(env);
  const to = target(system.url, n.concurrency);
  try {
    const references = await referencePrices(system.url);
    await burst(to, references, WARM_UP_ORDERS, n.concurrency, 'BENCH-WARM');
    await settle(system, 0.05, n['settle-max']);
    const idleCores = await cpuRate(system.pids(), 2_000);
    const result = await lifecycle({
      server: system,
      target: to,
      references,
      rate: n.rate,
      seconds: n['tracing-seconds'],
      account: 'BENCH-TRACE',
      finalWait: n['final-wait'],
      idleCores,
      settleMax: n['settle-max'],
    });
    return { result, cpuMs: result.cpuPerFilledMs };
  } finally {
    await to.pool.close();
    await system.stop();
  }
}

/** An OTLP/HTTP receiver that counts spans: the trace exporter sends JSON to POST /v1/traces. */
async function startOtlpReceiver(): Promise<{ url: string; spans: number; requests: number; close(): Promise<void> }> {
  const counts = { spans: 0, requests: 0 };
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      counts.requests++;
      counts.spans += spansIn(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get spans() {
      return counts.spans;
    },
    get requests() {
      return counts.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface OtlpTraces {
  resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
}

function spansIn(body: string): number {
  try {
    const traces = JSON.parse(body) as OtlpTraces;
    return (traces.resourceSpans ?? []).reduce((sum, r) => sum + (r.scopeSpans ?? []).reduce((s, scope) => s + (scope.spans?.length ?? 0), 0), 0);
  } catch {
    return 0; // not JSON (a protobuf exporter): requests still count
  }
}
