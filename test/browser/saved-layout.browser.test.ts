import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { deskSystem, placeRestingOrder } from './desk.js';

/**
 * The blotter's saved layout in a real browser: a column widened by its edge, a sort and a hidden
 * column survive a reload (localStorage, per user), and Reset layout brings the defaults back.
 * Dev mode: the page's user is the token-less developer.
 */
const system = deskSystem();

/** A column's header by its title; a sorted column's name also has its arrow. */
const header = (page: Page, title: string) => page.getByRole('columnheader', { name: new RegExp(`^${title}( [▲▼])?$`) });

const widthOf = async (page: Page, title: string): Promise<number> => (await header(page, title).boundingBox())!.width;

/** Drags the column's right edge `dx` px, as a user does. */
async function dragEdge(page: Page, name: string, dx: number): Promise<void> {
  const edge = (await header(page, name).locator('.resizer').boundingBox())!;
  await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2 + dx, edge.y + edge.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
}

describe('web blotter: saved layout', () => {
  it('keeps a resized column, the sort and hidden columns across a reload; Reset layout restores the defaults', async () => {
    await placeRestingOrder(system.url, 'ACC-12345');
    const { page } = await system.open();
    await page.locator('[role="row"][data-order-id]').first().waitFor();
    const symbol = header(page, 'Symbol');
    const defaultWidth = await widthOf(page, 'Symbol');
    expect(await header(page, 'Updated').getAttribute('aria-sort')).toBe('descending');

    await dragEdge(page, 'Symbol', 90);
    const widened = await widthOf(page, 'Symbol');
    expect(widened - defaultWidth).toBeGreaterThan(80);
    await symbol.click(); // sorted by symbol, ascending
    expect(await symbol.getAttribute('aria-sort')).toBe('ascending');
    await page.locator('.columns-menu summary').click();
    await page.getByRole('group', { name: 'Columns shown' }).getByLabel('Client id').uncheck();
    expect(await header(page, 'Client id').count()).toBe(0);
    await page.locator('.columns-menu summary').click();
    await page.getByRole('group', { name: 'Columns shown' }).waitFor({ state: 'detached' });

    await reload(page);
    await page.locator('[role="row"][data-order-id]').first().waitFor();
    expect(await widthOf(page, 'Symbol')).toBeCloseTo(widened, 0);
    expect((await page.locator('[data-col="symbol"]').first().boundingBox())!.width).toBeCloseTo(widened, 0);
    expect(await symbol.getAttribute('aria-sort')).toBe('ascending');
    expect(await header(page, 'Updated').getAttribute('aria-sort')).toBe('none');
    expect(await header(page, 'Client id').count()).toBe(0);
    await screenshot(page, 'saved-layout');

    await page.getByRole('button', { name: 'Reset layout' }).click();
    expect(await widthOf(page, 'Symbol')).toBeCloseTo(defaultWidth, 0);
    expect(await header(page, 'Updated').getAttribute('aria-sort')).toBe('descending');
    expect(await header(page, 'Client id').count()).toBe(1);
    // Forgotten, not only undone on the page: a reload keeps the defaults.
    await reload(page);
    await page.locator('[role="row"][data-order-id]').first().waitFor();
    expect(await widthOf(page, 'Symbol')).toBeCloseTo(defaultWidth, 0);
    expect(await header(page, 'Updated').getAttribute('aria-sort')).toBe('descending');

    // A corrupt saved value is ignored: the page loads with the defaults and no error.
    await dragEdge(page, 'Symbol', 90);
    const corrupted = await page.evaluate(() => {
      const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; setItem(k: string, v: string): void } })
        .localStorage;
      const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').filter((k) => k.startsWith('oms-sor.blotter-layout.'));
      for (const key of keys) storage.setItem(key, '{"version":1,"columnSizing":"wide"');
      return keys.length;
    });
    expect(corrupted).toBe(1);
    await reload(page);
    await page.locator('[role="row"][data-order-id]').first().waitFor();
    expect(await widthOf(page, 'Symbol')).toBeCloseTo(defaultWidth, 0);
  }, 90_000);
});
