/**
 * How long the server's journal took to make its batches durable during a phase, from its
 * oms_journal_write_duration_seconds histogram (embedded mode): the disk's share of a phase's
 * latency, to lay beside its slow seconds. Percentiles are bucket bounds (≤), not exact values.
 */
import { count, ms } from './report.js';
import { prometheusText } from './system.js';

const METRIC = 'oms_journal_write_duration_seconds_bucket';

type Buckets = Map<number, number>;

export interface JournalWriteMeter {
  /** One line for the phase, or undefined when the server has no journal (distributed mode). */
  stop(): Promise<string | undefined>;
}

export async function journalWriteMeter(url: string): Promise<JournalWriteMeter> {
  const before = await readBuckets(url);
  return {
    async stop() {
      const after = await readBuckets(url);
      if (!before || !after) return undefined;
      const phase = [...after].map(([le, n]): [number, number] => [le, n - (before.get(le) ?? 0)]).sort((a, b) => a[0] - b[0]);
      const total = phase.at(-1)?.[1] ?? 0;
      if (total === 0) return undefined;
      const bound = (share: number) => phase.find(([, n]) => n >= share * total)![0];
      const slowest = phase.find(([, n]) => n === total)![0];
      const above10 = total - (phase.find(([le]) => le >= 0.01)?.[1] ?? total);
      return `journal: ${count(total)} durable writes, p50 ≤ ${bounded(bound(0.5))}, p99 ≤ ${bounded(bound(0.99))}, slowest ≤ ${bounded(slowest)}; ${above10} over 10 ms`;
    },
  };
}

function bounded(seconds: number): string {
  return Number.isFinite(seconds) ? ms(seconds * 1000) : 'more than the last bucket';
}

/** Cumulative counts by upper bound (+Inf as Infinity), or undefined when the metric is not there. */
async function readBuckets(url: string): Promise<Buckets | undefined> {
  const text = await prometheusText(url);
  const buckets: Buckets = new Map();
  for (const line of text?.split('\n') ?? []) {
    if (!line.startsWith(METRIC)) continue;
    const match = /le="([^"]+)"\}\s+(\d+)/.exec(line);
    if (match) buckets.set(match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2]));
  }
  return buckets.size > 0 ? buckets : undefined;
}
