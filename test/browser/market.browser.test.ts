import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { deskSystem, placeRestingOrder, rowWithStatus, submitFromTicket } from './desk.js';

/**
 * The desk's other views in a real browser against the embedded system: the market of a symbol
 * (consolidated ladder, NBBO, live chart), positions and P&L, execution quality as charts, and
 * replace from a blotter row. Dev mode: the page's user is the token-less developer, with every role.
 */
const VENUE_NAMES = ['XNYS', 'XNAS', 'BATS', 'EDGX'];
const PRICE = /^\d+(\.\d+)?$/;

const system = deskSystem();
const desk = async (): Promise<Page> => (await system.open()).page;

/** The part of the DOM the ladder's reading uses (the tests compile without the DOM's types). */
interface DomElement {
  textContent: string | null;
  classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

interface Rung {
  side: string;
  venue: string;
  price: string;
  highlighted: boolean;
}

/** What the market section shows at one moment: each rung (side, the venue and price written in it, highlighted or not), the NBBO line and the spread. */
const ladderSnapshot = (page: Page): Promise<{ rungs: Rung[]; bestBid: string; bestAsk: string; spread: string }> =>
  page.getByRole('region', { name: 'NBBO and ladder' }).evaluate((section) => {
    const root = section as unknown as DomElement;
    const text = (element: DomElement | null): string => (element?.textContent ?? '').trim();
    const rungs = Array.from(root.querySelectorAll('tr[data-side]')).map((row) => ({
      side: row.getAttribute('data-side') ?? '',
      venue: Array.from(row.querySelectorAll('td.venue')).map(text).join(''),
      price: text(row.querySelector('td.price')),
      highlighted: row.classList.contains('nbbo'),
    }));
    return {
      rungs,
      bestBid: text(root.querySelector('[data-nbbo="bid"]')),
      bestAsk: text(root.querySelector('[data-nbbo="ask"]')),
      spread: text(root.querySelector('tr.spread')),
    };
  });

/** The part of a canvas the check reads (the tests compile without the DOM's types). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

/** Whether the chart's canvas has any pixel painted: uPlot drew its lines and axes. */
const canvasPainted = (page: Page): Promise<boolean> =>
  page.locator('.price-chart canvas').evaluate((element) => {
    const canvas = element as unknown as Canvas;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return Array.prototype.some.call(pixels, (value: number, i: number) => i % 4 === 3 && value > 0);
  });

describe('web desk: market, positions, execution quality, replace', () => {
  it("shows a symbol's consolidated ladder with a venue per level and the NBBO highlighted, and a live price chart", async () => {
    const page = await desk();
    await page.getByRole('tab', { name: 'Market' }).click();
    expect(await page.getByLabel('Symbol').inputValue()).toBe('AAPL');
    const ladder = page.getByRole('table', { name: 'Depth ladder' });
    await ladder.locator('tr[data-side="bid"]').first().waitFor();

    // One reading of the whole section: the view polls every 500 ms, so separate reads could straddle an update.
    const { rungs, bestBid, bestAsk, spread } = await ladderSnapshot(page);
    const bids = rungs.filter((r) => r.side === 'bid');
    const asks = rungs.filter((r) => r.side === 'ask');
    // Depth, not only each venue's top: some venue shows more than one level on a side.
    expect(bids.length).toBeGreaterThan(new Set(bids.map((r) => r.venue)).size);
    expect(asks.length).toBeGreaterThan(new Set(asks.map((r) => r.venue)).size);
    for (const rung of rungs) {
      expect(rung.price).toMatch(PRICE);
      // Each rung names a venue of the simulator.
      expect(VENUE_NAMES).toContain(rung.venue);
    }
    // The NBBO line shows the best bid and offer, and the ladder highlights the rungs at those prices.
    expect(bestBid).toMatch(PRICE);
    expect(bestAsk).toMatch(PRICE);
    expect(Number(bestBid)).toBeLessThanOrEqual(Number(bestAsk));
    const highlighted = (side: string): Set<string> => new Set(rungs.filter((r) => r.side === side && r.highlighted).map((r) => r.price));
    expect(highlighted('bid')).toEqual(new Set([bestBid]));
    expect(highlighted('ask')).toEqual(new Set([bestAsk]));
    // Highest first on both sides: offers down to the best, then bids down from the best.
    expect(asks.at(-1)?.price).toBe(bestAsk);
    expect(bids[0]?.price).toBe(bestBid);
    expect(spread).toMatch(/^spread \d+(\.\d+)? · mid \d+(\.\d+)?$/);

    // The chart gains a point per poll and is painted.
    const chart = page.getByRole('figure', { name: 'Price chart' });
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    expect(await canvasPainted(page)).toBe(true);
    // A few seconds more of chart for the picture (docs/web-market.png); not a check.
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 12_000 })
      .toBeGreaterThanOrEqual(20)
      .catch(() => undefined);
    await screenshot(page, 'market');

    // Another symbol: its own book (MSFT's reference price starts at 420, AAPL's at 150).
    await page.getByLabel('Symbol').fill('MSFT');
    await expect.poll(async () => Number(await page.locator('[data-nbbo="bid"]').textContent()), { timeout: 10_000 }).toBeGreaterThan(300);
  });

  it("shows the account's position after a MARKET order fills, and execution quality with a bar per venue", async () => {
    const account = 'ACC-WEB-POS';
    const page = await desk();
    const orderId = await submitFromTicket(page, { account, type: 'MARKET', quantity: '700', tif: 'IOC' });
    await rowWithStatus(page, orderId, 'FILLED');

    await page.getByRole('tab', { name: 'Positions' }).click();
    const positions = page.getByRole('region', { name: `Positions of ${account}` });
    const row = positions.locator('tr[data-symbol="AAPL"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td.quantity').textContent()).toBe('700');
    // Average cost and P&L as the API computes them, with totals summed exactly in the page.
    expect((await row.locator('td').nth(2).textContent()) ?? '').toMatch(PRICE);
    expect((await positions.locator('tfoot td').first().textContent()) ?? '').toMatch(/^-?\d+\.\d\d$/);
    await screenshot(page, 'positions');

    await page.getByRole('tab', { name: 'Execution quality' }).click();
    await page.getByLabel('Account').selectOption(account);
    const byVenue = page.getByRole('img', { name: 'Fill rate by venue' });
    await byVenue.locator('g[data-bar]').first().waitFor({ timeout: 10_000 });
    const venues = await byVenue.locator('g[data-bar]').evaluateAll((bars) => bars.map((b) => b.getAttribute('data-bar')));
    expect(venues.length).toBeGreaterThan(0);
    for (const venue of venues) expect(VENUE_NAMES).toContain(venue);
    for (const text of await byVenue.locator('text.value').allTextContents()) expect(text).toMatch(/^\d+\.\d%$/);
    const filled = page.getByRole('img', { name: 'Filled shares by venue' });
    const shares = (await filled.locator('text.value').allTextContents()).map((t) => Number(/^(\d+) of/.exec(t)?.[1]));
    expect(shares.reduce((a, b) => a + b, 0)).toBe(700);
    // By strategy, from the API: the router's default.
    await page.getByRole('img', { name: 'Slippage by strategy' }).locator('g[data-bar="DEFAULT"]').waitFor();
    expect(await page.getByRole('table', { name: 'Execution quality by strategy' }).locator('tr', { hasText: 'Filled' }).first().textContent()).toContain(
      '700',
    );
    // Per venue, from the API: the venues that filled, each with its shares, average price,
    // slippage against the arrival mid (the column's title says so) and fees, the shares adding up to 700.
    const perVenue = page.getByRole('table', { name: 'Execution quality by venue' });
    const venueRows = perVenue.locator('tbody tr[data-venue]');
    const figures = () =>
      venueRows.evaluateAll((rows) =>
        rows.map((row) => {
          const field = (name: string): string => (row.querySelector(`[data-field="${name}"]`)?.textContent ?? '').trim();
          return {
            venue: row.getAttribute('data-venue') ?? '',
            filled: Number(field('filled')),
            avgPrice: field('avgPrice'),
            slippageBps: field('slippageBps'),
            fees: field('fees'),
          };
        }),
      );
    await expect.poll(async () => (await figures()).reduce((n, v) => n + v.filled, 0), { timeout: 10_000 }).toBe(700);
    const rows = await figures();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(VENUE_NAMES).toContain(row.venue);
      expect(row.filled, row.venue).toBeGreaterThan(0);
      expect(row.avgPrice, row.venue).toMatch(PRICE);
      expect(row.slippageBps, row.venue).toMatch(/^-?\d+(\.\d+)?$/);
      expect(row.fees, row.venue).toMatch(/^-?\d+(\.\d+)?$/);
    }
    expect(await perVenue.getByRole('columnheader', { name: /Slippage/ }).getAttribute('title')).toContain('NBBO mid when the order arrived');
    expect((await perVenue.locator('tfoot td').nth(1).textContent())?.trim()).toBe('700');
    await screenshot(page, 'quality');
  });

  it("replaces a resting LIMIT order's quantity from its row: the API's 400 under the field, then the new quantity in the blotter", async () => {
    const account = 'ACC-12345';
    const orderId = await placeRestingOrder(system.url, account);
    const page = await desk();
    const row = await rowWithStatus(page, orderId, 'NEW');
    await row.getByRole('button', { name: 'Replace' }).click();
    const dialog = page.getByRole('dialog');
    const quantity = dialog.getByLabel('New quantity');
    expect(await quantity.inputValue()).toBe('100');

    // What the API says about this quantity, shown under the field.
    const direct = await fetch(`${system.url}/api/v1/orders/${orderId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 0 }),
    });
    expect(direct.status).toBe(400);
    const apiMessage = ((await direct.json()) as { error: { fields: { field: string; message: string }[] } }).error.fields.find(
      (f) => f.field === 'quantity',
    )?.message;
    await quantity.fill('0');
    await quantity.press('Enter');
    await dialog.locator('#replace-quantity-error').waitFor();
    expect(await dialog.locator('#replace-quantity-error').textContent()).toBe(apiMessage);
    await screenshot(page, 'replace-invalid');

    await quantity.fill('250');
    await quantity.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const replaced = page.locator(`[data-order-id="${orderId}"]`);
    await expect.poll(() => replaced.locator('[data-col="quantity"]').textContent(), { timeout: 15_000 }).toBe('250');
    await expect.poll(() => replaced.locator('[data-col="leavesQuantity"]').textContent(), { timeout: 15_000 }).toBe('250');
    expect(await replaced.getAttribute('data-status')).toBe('NEW');
    await screenshot(page, 'replaced-order');
  });
});
