/**
 * What one routing decision costs in CPU: `Router.route` for MARKET orders on the seeded simulated
 * market, in turns of 200 orders routed on the same books (as a busy turn of the embedded order
 * flow routes them), each child then answered by its venue. Two routers: with InFlightLiquidity,
 * as embedded mode runs it (each order sees the books less the children on their way), and with
 * no claims. Prints the median over rounds of CPU µs per route.
 *
 *   node --import tsx bench/route-cost.ts [--orders 20000] [--rounds 11]
 */
import { parseArgs } from 'node:util';
import { createMetrics } from '../src/adapters/observability/prometheus-metrics.js';
import { createOrder } from '../src/domain/order/lifecycle.js';
import { toSnapshot } from '../src/domain/order/snapshot.js';
import { InFlightLiquidity } from '../src/domain/routing/in-flight-liquidity.js';
import type { RouteRequested } from '../src/domain/events/messages.js';
import { pooledUuidV7 } from '../src/lib/uuid-v7.js';
import { silentLogger } from '../src/services/order-flow/test-support/order-flow-for-tests.js';
import { Router } from '../src/services/sor-engine/router.js';
import { simulatedMarket } from '../src/simulation/market/simulated-market.js';

const TURN = 200;
const { values } = parseArgs({ options: { orders: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '11' } } });
const orders = Number(values.orders);
const rounds = Number(values.rounds);

const newId = pooledUuidV7();
const venues = [{ name: 'XNYS' }, { name: 'XNAS' }];
const market = simulatedMarket(42, venues);
const symbols = market.symbols();
const requests: RouteRequested[] = Array.from({ length: orders }, (_, i) => {
  const terms = {
    clientOrderId: `C-${i}`,
    accountId: 'BENCH',
    symbol: symbols[i % symbols.length]!,
    side: i % 2 ? 'BUY' : 'SELL',
    orderType: 'MARKET',
    quantity: 100,
    limitPrice: null,
    timeInForce: 'DAY',
  } as const;
  return { type: 'RouteRequested', order: toSnapshot({ ...createOrder(newId(), terms, new Date()), status: 'NEW' }), quantity: 100, attempt: 1 };
});

function microsPerRoute(router: Router): number {
  const at = new Date();
  const started = process.cpuUsage();
  for (let i = 0; i < requests.length; i += TURN) {
    const sent: string[] = [];
    for (const request of requests.slice(i, i + TURN)) for (const child of router.route(request, at).children) sent.push(child.childOrderId);
    for (const childOrderId of sent) router.venueAnswered(childOrderId);
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / requests.length;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const routerWith = (inFlight: boolean) =>
  new Router({
    marketData: market,
    venues: venues.map((v) => v.name),
    newId,
    logger: silentLogger,
    metrics: createMetrics(),
    ...(inFlight ? { claims: new InFlightLiquidity() } : {}),
  });

console.log(`Router.route, ${orders} MARKET orders of 100 shares over ${symbols.length} symbols, turns of ${TURN}, ${rounds} rounds (median)`);
for (const [name, inFlight] of [
  ['with the children in flight counted (embedded)', true],
  ['without claims', false],
] as const) {
  const samples = Array.from({ length: rounds }, () => microsPerRoute(routerWith(inFlight)));
  console.log(`  ${name}: ${median(samples).toFixed(2)} µs of CPU per route (rounds ${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)})`);
}
