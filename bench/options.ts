/**
 * Command-line options of the benchmark scripts: scriptOptions() for each small script, and
 * those of bench/order-flow.ts, where every rate, duration and count has a default (the figures
 * of issue 13) and a --quick default for a smoke run; an option given explicitly wins.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a benchmark script: node's parseArgs setting plus what --help says of it. */
export type ScriptOption = NonNullable<ParseArgsConfig['options']>[string] & { readonly help: string };

/**
 * A script's options, parsed by node's parseArgs (an unknown one is an error). `--help` (`-h`)
 * prints the synopsis and every option with its default, then exits 0.
 */
export function scriptOptions<const O extends Record<string, ScriptOption>>(synopsis: string, options: O) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    const lines = Object.entries(options).map(
      ([name, o]) =>
        `  --${name}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(26) +
        o.help +
        (o.default !== undefined && o.default !== false ? ` (${String(o.default)})` : ''),
    );
    console.log([synopsis, ...lines, '  --help, -h'.padEnd(26) + 'this text'].join('\n'));
    process.exit(0);
  }
  return parseArgs({ args, options }).values;
}

/** name: [help, default, --quick default] */
const NUMBERS = {
  'ack-orders': ['orders in the ACK burst (system and bare baseline alike)', 30_000, 2_000],
  concurrency: ['requests in flight in the ACK bursts', 128, 128],
  'slow-rate': ['orders/s of the nearly idle lifecycle phase', 20, 20],
  'slow-seconds': ['seconds of the nearly idle lifecycle phase', 30, 2],
  rate: ['orders/s of the lifecycle phase that also measures CPU per filled order', 1_000, 1_000],
  seconds: ['seconds of that phase', 60, 2],
  'high-rate': ['orders/s of the high-rate lifecycle phase', 5_000, 5_000],
  'high-seconds': ['seconds of the high-rate lifecycle phase', 30, 2],
  'final-wait': ['seconds to wait after the last POST of a lifecycle phase for every order to be final', 30, 10],
  'settle-max': ['longest wait, in seconds, for the flow to drain between phases', 300, 30],
  'restart-orders': ['orders in the store before kill -9 and restart (0 skips the phase)', 1_000_000, 10_000],
  'seed-concurrency': ['requests in flight while seeding the store for the restart', 256, 256],
  'tracing-seconds': ['seconds of each half of the tracing phase (off, then on), at --rate (0 skips it)', 20, 2],
  'fix-rate': ['orders/s one FIX client session sends through the order-entry gateway (0 skips the FIX phase)', 1_000, 1_000],
  'fix-seconds': ['seconds of the FIX gateway phase', 20, 2],
  'distributed-rate': ['orders/s of the distributed phase', 1_000, 1_000],
  'distributed-seconds': ['seconds of the distributed phase', 60, 2],
  'kafka-fetch-wait-ms': ['KAFKA_FETCH_MAX_WAIT_MS of the seven processes (100 as deployed; the test broker holds an empty fetch that long)', 100, 100],
} as const satisfies Record<string, readonly [string, number, number]>;

export type NumberOption = keyof typeof NUMBERS;

export interface Options {
  readonly quick: boolean;
  /** A system already running: no CPU figures and no restart phase (the benchmark cannot kill it). */
  readonly url: string | undefined;
  /** undefined: measured when PostgreSQL, Redis and the Kafka test broker are reachable. */
  readonly distributed: boolean | undefined;
  /** A directory for a CPU profile of the server's main thread per embedded phase (--profile). */
  readonly profile: string | undefined;
  readonly n: Readonly<Record<NumberOption, number>>;
}

export function usage(): string {
  const lines = Object.entries(NUMBERS).map(([name, [help, full, quick]]) => `  --${name} N`.padEnd(26) + `${help} (${full}; --quick: ${quick})`);
  return [
    'node --import tsx bench/order-flow.ts [options]   (npm run bench -- [options] builds first)',
    '  --quick'.padEnd(26) + 'smoke run: short phases, small burst and restart store',
    '  --url URL'.padEnd(26) + 'measure a system already running (no CPU, no restart phase)',
    '  --distributed'.padEnd(26) + 'measure the seven-process mode (default: when its services are reachable)',
    '  --no-distributed'.padEnd(26) + 'skip it',
    '  --profile DIR'.padEnd(26) +
      "a CPU profile of the server's main thread per embedded phase, saved in DIR and summarized (sampling costs CPU: a profiled run's figures are not the run's figures)",
    ...lines,
    '  --help, -h'.padEnd(26) + 'this text',
  ].join('\n');
}

export function parseOptions(argv: readonly string[]): Options | undefined {
  const numberOptions = Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...numberOptions,
      quick: { type: 'boolean' },
      url: { type: 'string' },
      distributed: { type: 'boolean' },
      'no-distributed': { type: 'boolean' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  const n = {} as Record<NumberOption, number>;
  for (const [name, [, full, quickDefault]] of Object.entries(NUMBERS) as [NumberOption, (typeof NUMBERS)[NumberOption]][]) {
    const given = (values as Record<string, unknown>)[name];
    const value = typeof given === 'string' ? Number(given.replaceAll('_', '').replaceAll(',', '')) : quick ? quickDefault : full;
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0, got ${String(given)}`);
    n[name] = value;
  }
  const distributed = values['no-distributed'] ? false : values.distributed ? true : undefined;
  return { quick, url: values.url, distributed, profile: values.profile, n };
}
