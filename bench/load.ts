/**
 * The load generator: order bodies, a closed-loop burst (N requests in flight), open-loop load at
 * a fixed rate, and the order stream that tells when an order became final.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { count, progress } from './report.js';

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA', 'SPY'];
const FINAL = ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];
const run = Date.now().toString(36);

/** Reference prices in cents by symbol, for IOC limit prices just off the market. */
export type References = ReadonlyMap<string, number>;

/** One HTTP target with its connection pool; `acked` counts 201s (orders it stored). */
export interface Target {
  readonly url: string;
  readonly pool: Pool;
  acked: number;
  lastOrderId: string | undefined;
}

export function target(url: string, connections: number): Target {
  return { url, pool: new Pool(url, { connections, pipelining: 1 }), acked: 0, lastOrderId: undefined };
}

/** The symbol and side of the load's order `index`: the six symbols in turn, buying and selling alike. */
export function orderTerms(index: number): { readonly symbol: string; readonly side: 'BUY' | 'SELL' } {
  return { symbol: SYMBOLS[index % SYMBOLS.length]!, side: index % 2 === 0 ? 'BUY' : 'SELL' };
}

/**
 * IOC: a LIMIT order 5 cents away from the reference on the passive side, so it is acknowledged,
 * routed and canceled without filling (the ACK and seeding load). MARKET: fills (the lifecycle).
 */
export function orderBody(references: References, index: number, kind: 'IOC' | 'MARKET', account: string): string {
  const { symbol, side } = orderTerms(index);
  const body: Record<string, unknown> = {
    clientOrderId: `${run}-${account}-${index}`,
    accountId: account,
    symbol,
    side,
    orderType: kind === 'MARKET' ? 'MARKET' : 'LIMIT',
    quantity: 100,
    timeInForce: kind === 'MARKET' ? 'DAY' : 'IOC',
  };
  if (kind === 'IOC') {
    // Cents, as integers, so the price sent is an exact decimal string.
    const cents = (references.get(symbol) ?? 10_000) + (side === 'BUY' ? -5 : 5);
    body.limitPrice = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  }
  return JSON.stringify(body);
}

/** POSTs one order; the order id when it was stored (201, or 200 for a repeat), else undefined. */
export async function post(to: Target, body: string): Promise<string | undefined> {
  try {
    const response = await to.pool.request({ method: 'POST', path: '/api/v1/orders', headers: { 'content-type': 'application/json' }, body });
    const text = await response.body.text();
    if (response.statusCode !== 201 && response.statusCode !== 200) return undefined;
    const { orderId } = JSON.parse(text) as { orderId: string };
    if (response.statusCode === 201) {
      to.acked++;
      to.lastOrderId = orderId;
    }
    return orderId;
  } catch {
    return undefined;
  }
}

export interface BurstResult {
  readonly orders: number;
  readonly perSecond: number;
  readonly latencies: number[];
  readonly errors: number;
  readonly seconds: number;
}

/** Closed loop: `inFlight` clients each send the next order as soon as their last was answered. */
export async function burst(to: Target, references: References, orders: number, inFlight: number, account: string): Promise<BurstResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  const stopProgress = progress(() => `${count(latencies.length)} of ${count(orders)} acknowledged, ${count(errors)} errors`);
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < orders) {
        const index = next++;
        const sent = performance.now();
        if ((await post(to, orderBody(references, index, 'IOC', account))) !== undefined) latencies.push(performance.now() - sent);
        else errors++;
      }
    }),
  ).finally(stopProgress);
  const seconds = (performance.now() - start) / 1000;
  return { orders, perSecond: latencies.length / seconds, latencies, errors, seconds };
}

/**
 * Open loop: order i is due at start + i/rate and its latencies count from then, not from when it
 * was sent, so a stalled server cannot hide its stall (no coordinated omission). `sent.count`
 * follows the POSTs made so far (for progress lines).
 */
export async function openLoop(
  to: Target,
  references: References,
  rate: number,
  seconds: number,
  account: string,
  onAck: (orderId: string, due: number) => void,
  sent = { count: 0 },
): Promise<{ sent: number; ackLatencies: number[]; errors: number }> {
  const ackLatencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const total = await atRate(rate, seconds, (i, due) => {
    sent.count++;
    inFlight.push(
      post(to, orderBody(references, i, 'MARKET', account)).then((orderId) => {
        if (orderId === undefined) {
          errors++;
          return;
        }
        ackLatencies.push(performance.now() - due);
        onAck(orderId, due);
      }),
    );
  });
  await Promise.all(inFlight);
  return { sent: total, ackLatencies, errors };
}

/**
 * The open loop's clock: calls `send(i, due)` for rate × seconds orders, order i due at
 * start + i/rate; a late loop sends what is overdue at once rather than shifting the schedule.
 * Returns how many it sent.
 */
export async function atRate(rate: number, seconds: number, send: (index: number, due: number) => void): Promise<number> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    send(i, due);
  }
  return total;
}

/** When each order of one account became final, as a client of the order stream sees it. */
export interface OrderStream {
  readonly finals: ReadonlyMap<string, { readonly status: string; readonly at: number }>;
  close(): void;
}

/**
 * Server-sent events of one account. At 5,000 orders/s the stream carries some 20,000 status
 * changes a second: only events that name a final status are parsed, and the buffer is split
 * once per chunk, so the reader stays a small part of the load generator's time.
 */
export async function openOrderStream(baseUrl: string, accountId: string): Promise<OrderStream> {
  const finals = new Map<string, { status: string; at: number }>();
  const controller = new AbortController();
  const response = await request(`${baseUrl}/api/v1/orders/stream?accountId=${encodeURIComponent(accountId)}`, { signal: controller.signal });
  if (response.statusCode !== 200) throw new Error(`the order stream answered ${response.statusCode}`);
  let rest = '';
  response.body.setEncoding('utf8');
  response.body.on('data', (chunk: string) => {
    const at = performance.now();
    const events = (rest + chunk).split('\n\n');
    rest = events.pop() ?? '';
    for (const event of events) {
      if (!FINAL.some((status) => event.includes(`"${status}"`))) continue;
      const data = event.split('\n').find((line) => line.startsWith('data: '));
      if (!data) continue;
      const order = JSON.parse(data.slice(6)) as { orderId: string; status: string };
      if (FINAL.includes(order.status) && !finals.has(order.orderId)) finals.set(order.orderId, { status: order.status, at });
    }
  });
  response.body.on('error', () => undefined);
  return { finals, close: () => controller.abort() };
}

/** The load generator's own cost over a phase: its CPU and how late its event loop ran. */
export function clientMeter(): { stop(): string } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return {
    stop: () => {
      delay.disable();
      const used = process.cpuUsage(cpu);
      const seconds = (performance.now() - started) / 1000;
      const cores = (used.user + used.system) / 1e6 / seconds;
      return `load generator: ${(cores * 100).toFixed(0)}% of a core, event loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (adds to the latencies above)`;
    },
  };
}

/** Reference prices in cents, from the market data endpoint. */
export async function referencePrices(baseUrl: string): Promise<References> {
  const prices = new Map<string, number>();
  for (const symbol of SYMBOLS) {
    const response = await request(`${baseUrl}/api/v1/marketdata/${symbol}`);
    const body = (await response.body.json()) as { referencePrice: string };
    const [whole, fraction = ''] = body.referencePrice.split('.');
    prices.set(symbol, Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2)));
  }
  return prices;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
