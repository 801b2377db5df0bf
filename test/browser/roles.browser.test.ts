import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem } from '../support/embedded.js';
import { buildWebApp, launchBrowser, screenshot } from './browser.js';
import { closeDesk, devToken, openDesk, placeRestingOrder, type Desk } from './desk.js';

/**
 * The web blotter shows each user what its roles allow, as the API tells the page (GET /api/v1/me):
 * users here hold dev mode's own tokens, handed to the page as `#token=`, as a user would open it.
 */
const VENUES = ['XNYS', 'XNAS', 'BATS', 'EDGX'].map((v) => `${v}=127.0.0.1:0:OMS:${v}`).join(',');

let system: Awaited<ReturnType<typeof startTestSystem>>;
let browser: Browser;
const desks: Desk[] = [];

beforeAll(async () => {
  await buildWebApp();
  system = await startTestSystem({ OMS_VENUES: VENUES, RISK_PRICE_COLLAR_BPS: '1000' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.cleanUp();
});

afterEach(async () => {
  for (const desk of desks.splice(0)) await closeDesk(desk);
});

async function deskOf(token?: string): Promise<Desk> {
  const desk = await openDesk(browser, system.url, { token });
  desks.push(desk);
  return desk;
}

describe('web blotter by role', () => {
  it('shows a viewer its account live, with no order ticket and no cancel buttons', async () => {
    const account = 'ACC-VIEW';
    const before = await placeRestingOrder(system.url, account);
    const { page } = await deskOf(await devToken(system.url, 'viewer-1', ['viewer'], [account]));

    // The token left the address at once (this tab keeps it), and the page knows who it is.
    expect(page.url()).not.toContain('token');
    expect(await page.locator('header .user').textContent()).toBe('viewer-1 · viewer');
    expect(await page.locator('header .accounts').textContent()).toBe(`accounts: ${account}`);
    await page.locator(`[data-order-id="${before}"][data-status="NEW"]`).waitFor();
    // An order placed now arrives through the stream, which carries the viewer's token too.
    const after = await placeRestingOrder(system.url, account);
    await page.locator(`[data-order-id="${after}"][data-status="NEW"]`).waitFor({ timeout: 15_000 });

    expect(await page.locator('form.ticket').count()).toBe(0);
    expect(await page.getByLabel('Quantity').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await screenshot(page, 'viewer');
  });

  it('gives a trader the ticket on its own account, and cancel buttons on working orders', async () => {
    const account = 'ACC-TRADE';
    const resting = await placeRestingOrder(system.url, account);
    const { page } = await deskOf(await devToken(system.url, 'trader-1', ['trader'], [account]));
    expect(await page.locator('header .user').textContent()).toBe('trader-1 · trader');
    expect(await page.getByLabel('Account').inputValue()).toBe(account);
    await page.locator(`[data-order-id="${resting}"][data-status="NEW"]`).getByRole('button', { name: 'Cancel' }).waitFor();
  });
});
