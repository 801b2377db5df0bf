/**
 * Smart order routing against naive routing on the simulated market, offline: the same seeded
 * parent flow replayed on a fresh market (same seed) through NAIVE (all to XNYS), the router's
 * default and every named strategy, with the real matching engines and venue fees.
 *
 *   npm run bench:sor -- [--orders 2000] [--seed 42] [--steps-between 1]
 */
import { beatsNaive, fixed, formatTable } from '../src/simulation/sor-replay/report-table.js';
import { REPLAY_VENUES, replayFlow, runReplay, type ReplayOptions } from '../src/simulation/sor-replay/replay.js';
import { REPLAY_STRATEGIES } from '../src/simulation/sor-replay/route-parent.js';
import { scriptOptions } from './options.js';

const values = scriptOptions('npm run bench:sor -- [options]   (node --import tsx bench/sor.ts)', {
  orders: { type: 'string', default: '2000', help: 'parent orders replayed' },
  seed: { type: 'string', default: '42', help: 'market and flow seed' },
  'steps-between': { type: 'string', default: '1', help: 'market steps between two parent orders' },
});
const options: ReplayOptions = { orders: Number(values.orders), seed: Number(values.seed), stepsBetweenOrders: Number(values['steps-between']) };
if (![options.orders, options.seed, options.stepsBetweenOrders].every((n) => Number.isInteger(n) && n! >= 0))
  throw new Error('--orders, --seed and --steps-between take whole numbers');

const started = performance.now();
const flow = replayFlow(options);
const results = REPLAY_STRATEGIES.map((strategy) => runReplay(strategy, options, flow));
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const shares = flow.reduce((sum, o) => sum + o.quantity, 0);
console.log(
  `SOR benchmark: ${options.orders} parent orders (${shares} shares), seed ${options.seed}, venues ${REPLAY_VENUES.join(', ')}, ${options.stepsBetweenOrders} market step(s) between orders`,
);
console.log(
  'slip = avg price vs arrival NBBO mid; IS = implementation shortfall (slippage + fees); PI = price improvement vs arrival far touch; bp quantity-weighted; fill steps = mean market steps to a full fill\n',
);
console.log(formatTable(results));

const naive = results.find((r) => r.strategy === 'NAIVE')!.aggregate;
const chosen = results.find((r) => r.strategy === 'DEFAULT')!.aggregate;
const verdict = beatsNaive(chosen, naive) ? 'YES' : 'NO';
console.log(
  `\nDEFAULT beats NAIVE on cost without a lower fill rate: ${verdict}` +
    ` (IS ${fixed(chosen.shortfallBps)} vs ${fixed(naive.shortfallBps)} bp, fill ${fixed(chosen.fillRate * 100n)}% vs ${fixed(naive.fillRate * 100n)}%,` +
    ` fees $${fixed(chosen.feesPaid)} vs $${fixed(naive.feesPaid)})`,
);
console.log(`replayed ${results.length} strategies in ${seconds} s`);
