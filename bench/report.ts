/**
 * What the benchmark prints: a header that places the run, each figure beside its goal as it is
 * measured, and a closing markdown table (pasteable into the README) of every figure of issue 13.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** One row of issue 13's table. `met` is undefined where nothing was measured. */
export interface Figure {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const figures: Figure[] = [];

/**
 * Records a figure and prints it beside its goal. `after`: the name of a figure the summary lists
 * it under (a phase run later that compares with it); last when that figure is not there.
 */
export function report(figure: Figure, after?: string): void {
  const anchor = after === undefined ? -1 : figures.findIndex((f) => f.name === after);
  figures.splice(anchor === -1 ? figures.length : anchor + 1, 0, figure);
  console.log(`  => ${figure.name}: ${figure.measured}   [goal ${figure.goal}: ${verdict(figure.met)}]`);
}

/** Seconds between two progress lines of a long phase. */
const PROGRESS_EVERY_MS = 5_000;

/**
 * While a phase runs, a line every 5 s saying where it is (a 60 s phase or a million-order seed
 * would otherwise print nothing); call the returned function when it ends. Indented under the
 * phase's own lines and marked with "…", so a reader skips them.
 */
export function progress(where: () => string): () => void {
  const started = performance.now();
  const timer = setInterval(() => console.log(`    … ${((performance.now() - started) / 1000).toFixed(0)} s: ${where()}`), PROGRESS_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export function notMeasured(name: string, goal: string, reason: string, after?: string): void {
  report({ name, goal, measured: `not measured: ${reason}`, met: undefined }, after);
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? '—' : met ? 'met' : 'NOT met';
}

export function printSummary(header: string): void {
  console.log(`\n## Summary (${header})\n`);
  console.log('| figure | measured | goal | met |');
  console.log('|---|---|---|---|');
  for (const f of figures) console.log(`| ${f.name} | ${f.measured} | ${f.goal} | ${verdict(f.met)} |`);
}

/** Date, node, commit and machine: figures compare only within one run on one machine. */
export function header(): string {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  // Others edit src/ while benchmarks run: say whether the measured code is exactly the commit.
  const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
  const cores = cpus();
  return [
    new Date().toISOString(),
    `node ${process.version}`,
    `commit ${commit}${dirty ? ` + ${dirty} uncommitted file(s) in src/` : ''}`,
    `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown cpu'})`,
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `Linux ${release()}`,
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ].join(', ');
}

export interface Percentiles {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export function percentiles(samples: readonly number[]): Percentiles | undefined {
  if (samples.length === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1]! };
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function printPercentiles(label: string, samples: readonly number[]): Percentiles | undefined {
  const p = percentiles(samples);
  if (!p) console.log(`  ${label}: no samples`);
  else console.log(`  ${label}: p50 ${ms(p.p50)}  p90 ${ms(p.p90)}  p99 ${ms(p.p99)}  p99.9 ${ms(p.p999)}  max ${ms(p.max)}  (n=${count(p.n)})`);
  return p;
}

/**
 * The p99 of each second of a phase, by when the sample was due: a tail that comes from one stall
 * shows as a few slow seconds, one from a saturated flow as a rising run.
 */
export function printP99BySecond(label: string, samples: readonly { readonly at: number; readonly value: number }[]): void {
  if (samples.length === 0) return;
  const start = samples.reduce((min, s) => Math.min(min, s.at), Infinity);
  const seconds: number[][] = [];
  for (const { at, value } of samples) (seconds[Math.floor((at - start) / 1000)] ??= []).push(value);
  const p99s = Array.from(seconds, (values) => (values ? percentiles(values)!.p99 : undefined));
  console.log(`  ${label}, p99 of each second (ms): ${p99s.map((v) => (v === undefined ? '-' : v.toFixed(0))).join(' ')}`);
}

export function section(title: string): void {
  console.log(`\n### ${title}`);
}
