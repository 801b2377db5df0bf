import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/domain/money/price.js';
import { isFinal, postOrder, startTestSystem, waitForOrder } from '../support/embedded.js';

let system: Awaited<ReturnType<typeof startTestSystem>>;

beforeAll(async () => {
  system = await startTestSystem({ RISK_RESTRICTED_SYMBOLS: 'TSLA' });
});

afterAll(async () => {
  await system?.cleanUp();
});

type Labels = Record<string, string>;

/** The samples of one metric in Prometheus' text format, with their labels. */
function samples(text: string, name: string): { labels: Labels; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const braces = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...(braces[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { labels, value: Number(braces[2]) };
    });
}

function value(text: string, name: string, labels: Labels = {}): number | undefined {
  return samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const scrape = async (): Promise<string> => (await fetch(`${system.url}/actuator/prometheus`)).text();

/** Final-status metrics are recorded once the order's last turn is durable, a moment after GET shows it. */
async function scrapeUntil(ready: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = await scrape();
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('/actuator/prometheus after one order', () => {
  it('counts the order by final status, its fills, shares and notional per venue, and its latencies', async () => {
    const body = { clientOrderId: 'METRICS-1', accountId: 'ACC-METRICS', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 300, timeInForce: 'DAY' };
    const { status, json } = await postOrder(system.url, body);
    expect(status).toBe(201);
    const order = await waitForOrder(system.url, json.orderId as string, isFinal);
    expect(order.status).toBe('FILLED');
    const text = await scrapeUntil((t) => value(t, 'oms_orders_final_total', { status: 'FILLED' }) === 1);

    expect(value(text, 'oms_orders_final_total', { status: 'FILLED' })).toBe(1);
    expect(value(text, 'oms_order_lifecycle_seconds_count', { status: 'FILLED' })).toBe(1);
    expect(value(text, 'oms_ingest_ack_latency_seconds_count')).toBe(1);
    expect(value(text, 'oms_sor_route_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    const fills = order.fills ?? [];
    expect(fills.length).toBeGreaterThan(0);
    for (const venue of new Set(fills.map((f) => f.venue))) {
      const at = fills.filter((f) => f.venue === venue);
      const raw = at.reduce((sum, f) => sum + BigInt(f.quantity) * parseDecimal(f.price)!, 0n);
      expect(value(text, 'oms_fills_applied_total', { venue })).toBe(at.length);
      expect(value(text, 'oms_filled_quantity_total', { venue })).toBe(at.reduce((sum, f) => sum + f.quantity, 0));
      // Whole cents of the exact fixed-point sum (10^8 raw units a currency unit).
      expect(value(text, 'oms_fill_notional_cents_total', { venue })).toBe(Number(raw / 1_000_000n));
    }
  });

  it('counts a rejected order by its reason code', async () => {
    const body = { clientOrderId: 'METRICS-2', accountId: 'ACC-METRICS', symbol: 'TSLA', side: 'BUY', orderType: 'MARKET', quantity: 10, timeInForce: 'DAY' };
    const { json } = await postOrder(system.url, body);
    expect((await waitForOrder(system.url, json.orderId as string, isFinal)).status).toBe('REJECTED');
    const text = await scrapeUntil((t) => value(t, 'oms_order_rejects_total', { code: 'RESTRICTED_SYMBOL' }) === 1);
    expect(value(text, 'oms_order_rejects_total', { code: 'RESTRICTED_SYMBOL' })).toBe(1);
    expect(value(text, 'oms_orders_final_total', { status: 'REJECTED' })).toBe(1);
  });

  it('shows the FIX sessions, the kill switches and the query model backlog', async () => {
    const text = await scrape();
    expect(value(text, 'oms_fix_session_logged_on', { venue: 'XNYS' })).toBe(1);
    expect(value(text, 'oms_fix_session_logged_on', { venue: 'XNAS' })).toBe(1);
    expect(value(text, 'oms_kill_switches_engaged', { scope: 'GLOBAL' })).toBe(0);
    expect(value(text, 'oms_kill_switches_engaged', { scope: 'ACCOUNT' })).toBe(0);
    expect(value(text, 'oms_query_model_lag_records')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^# HELP oms_fix_sequence_gaps_total \S/m);
  });
});
