import { formatDecimalFixed, PRICE_DECIMALS } from '../../domain/money/price.js';
import type { AggregateExecutionQuality } from '../../domain/routing/execution-quality-aggregate.js';
import { ratio } from '../../domain/routing/execution-quality.js';
import type { ReplayResult } from './replay.js';

/** A 10^-8 fixed-point value rounded half away from zero to `decimals` places, for display. */
export function fixed(raw: bigint | null, decimals = 2): string {
  if (raw === null) return 'n/a';
  const unit = 10n ** BigInt(PRICE_DECIMALS - decimals);
  const rounded = ((raw < 0n ? raw - unit / 2n : raw + unit / 2n) / unit) * unit;
  return formatDecimalFixed(rounded, decimals);
}

/** Fees in bp of the filled value: the shortfall's part that is not slippage. */
export const feeBps = (a: AggregateExecutionQuality): bigint | null =>
  a.shortfallBps === null || a.slippageBps === null ? null : a.shortfallBps - a.slippageBps;

const COLUMNS = ['strategy', 'orders', 'fill %', 'slip bp', 'fees $', 'fees bp', 'IS bp', 'PI $', 'PI bp', 'child/ord', 'fill steps'] as const;

function row(result: ReplayResult): string[] {
  const a = result.aggregate;
  return [
    result.strategy,
    String(a.orders),
    fixed(a.fillRate * 100n),
    fixed(a.slippageBps),
    fixed(a.feesPaid),
    fixed(feeBps(a)),
    fixed(a.shortfallBps),
    fixed(a.priceImprovement),
    fixed(a.priceImprovementBps),
    fixed(a.childrenPerOrder),
    fixed(meanStepsToFill(result)),
  ];
}

/** The aggregate rounds time to fill to whole units; in market steps that hides too much. */
function meanStepsToFill(result: ReplayResult): bigint | null {
  const steps = result.orders.flatMap((o) => (o.timeToFillMs === null ? [] : [BigInt(o.timeToFillMs)]));
  return steps.length === 0
    ? null
    : ratio(
        steps.reduce((a, b) => a + b, 0n),
        steps.length,
      );
}

/** Strategies as rows, measures as right-aligned columns. */
export function formatTable(results: readonly ReplayResult[]): string {
  const rows = [[...COLUMNS], ...results.map(row)];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Lower implementation shortfall than NAIVE, with at least NAIVE's fill rate. */
export function beatsNaive(candidate: AggregateExecutionQuality, naive: AggregateExecutionQuality): boolean {
  if (candidate.shortfallBps === null || naive.shortfallBps === null) return false;
  return candidate.shortfallBps < naive.shortfallBps && candidate.fillRate >= naive.fillRate;
}
