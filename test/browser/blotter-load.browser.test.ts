import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOrder, startTestSystem } from '../support/embedded.js';
import { buildWebApp, launchBrowser, screenshot } from './browser.js';
import { closeDesk, openDesk, restingBuyPrice, type Desk } from './desk.js';

/**
 * The blotter with 5,000 live orders stays responsive: measured in the page (test/browser/render-probe.js)
 * while the orders arrive and then while updates to them stream in. The figures are printed; the
 * bounds asserted are generous, since the machine also runs the whole system and the test's own load.
 */
const ACCOUNT = 'ACC-LOAD';
const LIVE_ORDERS = 5_000;
const CANCELS = 2_000;
const MARKET_ORDERS = 500;
const PARALLEL_REQUESTS = 16;

interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}
interface Measurement {
  frames: Summary;
  delays: Summary;
}

let system: Awaited<ReturnType<typeof startTestSystem>>;
let browser: Browser;
let desk: Desk | undefined;

beforeAll(async () => {
  await buildWebApp();
  // Not durability under test: no fsync per group commit, so the orders go in quickly.
  system = await startTestSystem({ JOURNAL_SYNC: 'none', RISK_PRICE_COLLAR_BPS: '1000' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await closeDesk(desk);
  await browser?.close();
  await system?.cleanUp();
});

/** `work` on every item, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function place(order: Record<string, unknown>): Promise<string> {
  const placed = await postOrder(system.url, {
    clientOrderId: `LOAD-${Math.random().toString(36).slice(2)}`,
    accountId: ACCOUNT,
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 100,
    ...order,
  });
  expect(placed.status, JSON.stringify(placed.json)).toBe(201);
  return String(placed.json.orderId);
}

const line = (what: string, s: Summary): string => `${what}: p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms (${s.count})`;

describe('web blotter under load', () => {
  it(`stays responsive with ${LIVE_ORDERS.toLocaleString('en')} live orders while updates stream in`, async () => {
    desk = await openDesk(browser, system.url, { path: `/?accounts=${ACCOUNT}` });
    const { page } = desk;
    await page.addScriptTag({ path: fileURLToPath(new URL('./render-probe.js', import.meta.url)) });
    const start = () => page.evaluate('window.renderProbe.start()');
    const stop = async () => (await page.evaluate('window.renderProbe.stop()')) as Measurement;

    // 1. 5,000 LIMIT DAY buys under the market: they rest, each a live row arriving by the stream.
    const limitPrice = await restingBuyPrice(system.url);
    const ids: string[] = [];
    await start();
    const loadStarted = Date.now();
    await inParallel(
      Array.from({ length: LIVE_ORDERS }, (_, i) => i),
      PARALLEL_REQUESTS,
      async () => {
        ids.push(await place({ orderType: 'LIMIT', limitPrice, timeInForce: 'DAY' }));
      },
    );
    const count = page.locator('.blotter .count');
    await expect.poll(() => count.textContent(), { timeout: 60_000, interval: 250 }).toBe(`${LIVE_ORDERS} of ${LIVE_ORDERS} orders`);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const loading = await stop();
    await screenshot(page, 'blotter-5000');
    // The screenshot's own frame is not the blotter's.
    await page.waitForTimeout(500);

    // 2. With them all in the blotter: 2,000 cancels and 500 MARKET orders that fill, at once.
    await start();
    const updatesStarted = Date.now();
    await Promise.all([
      inParallel(ids.slice(0, CANCELS), PARALLEL_REQUESTS / 2, async (id) => {
        const response = await fetch(`${system.url}/api/v1/orders/${id}`, { method: 'DELETE' });
        expect([202, 409]).toContain(response.status);
      }),
      inParallel(
        Array.from({ length: MARKET_ORDERS }, (_, i) => i),
        PARALLEL_REQUESTS / 2,
        async () => {
          await place({ orderType: 'MARKET', timeInForce: 'IOC' });
        },
      ),
    ]);
    const total = LIVE_ORDERS + MARKET_ORDERS;
    await expect.poll(() => count.textContent(), { timeout: 30_000, interval: 250 }).toBe(`${total} of ${total} orders`);
    // The last updates (fills, cancels confirmed by the venues) have a moment to arrive.
    await page.waitForTimeout(1_000);
    const updateSeconds = (Date.now() - updatesStarted) / 1000;
    const updating = await stop();
    await screenshot(page, 'blotter-5000-updating');

    console.log(
      [
        `web blotter, ${LIVE_ORDERS} live orders (${loadSeconds.toFixed(1)} s to post and show them all):`,
        `  ${line('frame time while they arrived', loading.frames)}`,
        `  ${line('update to row in the DOM while they arrived', loading.delays)}`,
        `then ${CANCELS} cancels and ${MARKET_ORDERS} MARKET orders over ${updateSeconds.toFixed(1)} s:`,
        `  ${line('frame time', updating.frames)}`,
        `  ${line('update to row in the DOM', updating.delays)}`,
      ].join('\n'),
    );
    expect(updating.frames.count).toBeGreaterThan(0);
    expect(updating.delays.count).toBeGreaterThan(0);
    // Generous: a frame is 16.7 ms at 60 Hz, and on a 2-core machine that also runs the system at
    // full load the measured p99 is 100 to 150 ms, and was 283 ms on a day the same machine ran at
    // half speed (`npm run bench:fix` encoding in 1.77 µs instead of 0.8). Before the grid was held
    // to the window (every row was in the DOM) and redraws were conflated, frames took seconds.
    expect(loading.frames.p99).toBeLessThan(500);
    expect(updating.frames.p99).toBeLessThan(500);
    expect(loading.delays.p99).toBeLessThan(1_000);
    expect(updating.delays.p99).toBeLessThan(1_000);
  }, 240_000);
});
