import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { postOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';
import { buildWebApp, launchBrowser } from './browser.js';

/** A page of the web blotter and the uncaught errors it had (a test fails on any). */
export interface Desk {
  readonly page: Page;
  readonly errors: string[];
}

/** Opens the blotter (at `path`, `/` by default) as the holder of `token` (given as `#token=`, as a user would), or token-less, and waits for its stream. */
export async function openDesk(browser: Browser, url: string, { token, path = '/' }: { token?: string; path?: string } = {}): Promise<Desk> {
  // A context per desk: its own sessionStorage, so users of two desks never share a token.
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${url}${path}${token ? `#token=${encodeURIComponent(token)}` : ''}`);
  await page
    .locator('[data-connection="live"]')
    .waitFor({ timeout: 10_000 })
    .catch((error: unknown) => {
      throw new Error(`the blotter did not connect; page errors: ${errors.join('; ') || 'none'}`, { cause: error });
    });
  return { page, errors };
}

/** Four lit venues on ephemeral ports, as in the e2e tests. */
const DESK_VENUES = ['XNYS', 'XNAS', 'BATS', 'EDGX'].map((v) => `${v}=127.0.0.1:0:OMS:${v}`).join(',');

/**
 * One embedded system and one browser for a test file: the page built and both started before its
 * tests, stopped after them; `open` gives a desk (as `token`'s holder, or token-less) that closes
 * after its test, which fails on any uncaught error in the page.
 */
export function deskSystem(): { readonly url: string; open(token?: string): Promise<Desk> } {
  let system: Awaited<ReturnType<typeof startTestSystem>> | undefined;
  let browser: Browser | undefined;
  const desks: Desk[] = [];
  beforeAll(async () => {
    await buildWebApp();
    system = await startTestSystem({ OMS_VENUES: DESK_VENUES, RISK_PRICE_COLLAR_BPS: '1000' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.cleanUp();
  });
  afterEach(async () => {
    for (const desk of desks.splice(0)) await closeDesk(desk);
  });
  return {
    get url() {
      return system!.url;
    },
    open: async (token?: string) => {
      const desk = await openDesk(browser!, system!.url, { token });
      desks.push(desk);
      return desk;
    },
  };
}

export async function closeDesk(desk: Desk | undefined): Promise<void> {
  await desk?.page.context().close();
  expect(desk?.errors ?? []).toEqual([]);
}

/** A token from dev mode's own issuer (POST /api/v1/dev/token). */
export async function devToken(url: string, subject: string, roles: string[], accounts: string[]): Promise<string> {
  const response = await fetch(`${url}/api/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject, roles, accounts }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** 4% under the reference price, on the cent grid: below every offer of the seeded market, so a buy there rests. */
export async function restingBuyPrice(url: string, symbol = 'AAPL'): Promise<string> {
  const market = (await (await fetch(`${url}/api/v1/marketdata/${symbol}`)).json()) as { referencePrice: string };
  return formatDecimal(((parseDecimal(market.referencePrice)! * 96n) / 100n / 1_000_000n) * 1_000_000n);
}

/** A LIMIT DAY buy that rests at every venue, placed through the API by dev mode's token-less developer. */
export async function placeRestingOrder(url: string, accountId: string): Promise<string> {
  const limitPrice = await restingBuyPrice(url);
  const placed = await postOrder(url, {
    clientOrderId: `REST-${Math.random().toString(36).slice(2)}`,
    accountId,
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 100,
    limitPrice,
    timeInForce: 'DAY',
  });
  expect(placed.status).toBe(201);
  const orderId = String(placed.json.orderId);
  const resting = (o: OrderJson) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW');
  await waitForOrder(url, orderId, resting);
  return orderId;
}

/** Fills the ticket (fields by their labels, as a trader reads them) and presses Enter in Quantity; the order id it reports. */
export async function submitFromTicket(
  page: Page,
  fields: { account: string; type: 'MARKET' | 'LIMIT'; quantity: string; tif: string; limitPrice?: string },
): Promise<string> {
  await page.getByLabel('Symbol').fill('AAPL');
  await page.getByLabel('Side').selectOption('BUY');
  await page.getByLabel('Type').selectOption(fields.type);
  if (fields.limitPrice !== undefined) await page.getByLabel('Limit price').fill(fields.limitPrice);
  await page.getByLabel('TIF').selectOption(fields.tif);
  await page.getByLabel('Account').fill(fields.account);
  await page.getByLabel('Quantity').fill(fields.quantity);
  const outcome = page.locator('.ticket .outcome');
  const text = async (): Promise<string | null> => ((await outcome.count()) > 0 ? outcome.textContent() : null);
  const before = await text();
  await page.getByLabel('Quantity').press('Enter');
  // Each submission has its own client id, so its outcome's text is new.
  await expect.poll(text, { timeout: 10_000 }).not.toBe(before);
  const reported = (await text()) ?? '';
  expect(await outcome.getAttribute('class'), reported).toContain('ok');
  const id = /\(([0-9a-f-]{36})\)/.exec(reported)?.[1];
  expect(id, reported).toBeDefined();
  return id!;
}

/** The order's row in the blotter, once it shows `status`. */
export async function rowWithStatus(page: Page, orderId: string, status: string) {
  const row = page.locator(`[data-order-id="${orderId}"][data-status="${status}"]`);
  await row.waitFor({ timeout: 15_000 });
  return row;
}
