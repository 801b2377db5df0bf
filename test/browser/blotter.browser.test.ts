import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { TestIssuer } from '../../src/adapters/auth/test-support/test-issuer.js';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { postOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';
import { buildWebApp, launchBrowser, screenshot } from './browser.js';

/**
 * The trader's web blotter in a real browser (Debian's chromium through playwright-core) against the
 * embedded system, which serves the page at `/`: the ticket, the live blotter, cancel from a row and
 * the order detail. Venues on ephemeral ports (not the fixed 9880+), as in the e2e tests.
 */
const VENUES = ['XNYS', 'XNAS', 'BATS', 'EDGX'].map((v) => `${v}=127.0.0.1:0:OMS:${v}`).join(',');
const ACCOUNT = 'ACC-12345';

let system: Awaited<ReturnType<typeof startTestSystem>>;
let browser: Browser;
let page: Page;
/** Uncaught errors in the page: any fails the test that caused it. */
let pageErrors: string[];

beforeAll(async () => {
  await buildWebApp();
  system = await startTestSystem({ OMS_VENUES: VENUES, RISK_PRICE_COLLAR_BPS: '1000' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.cleanUp();
});

async function openPage(url: string): Promise<void> {
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
}

afterEach(async () => {
  await page?.close();
  expect(pageErrors).toEqual([]);
});

/** Fills the ticket (fields by their labels, as a trader reads them) and presses Enter in Quantity. */
async function submitFromTicket(fields: { type: 'MARKET' | 'LIMIT'; quantity: string; limitPrice?: string; tif: string; side?: string }): Promise<void> {
  await page.getByLabel('Symbol').fill('AAPL');
  await page.getByLabel('Side').selectOption(fields.side ?? 'BUY');
  await page.getByLabel('Type').selectOption(fields.type);
  if (fields.limitPrice !== undefined) await page.getByLabel('Limit price').fill(fields.limitPrice);
  await page.getByLabel('TIF').selectOption(fields.tif);
  await page.getByLabel('Account').fill(ACCOUNT);
  await page.getByLabel('Quantity').fill(fields.quantity);
  await page.getByLabel('Quantity').press('Enter');
}

/** The order id the ticket reports after a successful submit. */
async function submittedOrderId(): Promise<string> {
  const outcome = page.locator('.ticket .outcome.ok');
  await outcome.waitFor();
  const id = /\(([0-9a-f-]{36})\)/.exec((await outcome.textContent()) ?? '')?.[1];
  expect(id).toBeDefined();
  return id!;
}

/** How many orders the account holds, as the API lists them. */
async function storedOrderCount(): Promise<number> {
  const json = (await (await fetch(`${system.url}/api/v1/orders?accountId=${ACCOUNT}`)).json()) as { orders?: unknown[] } | unknown[];
  return (Array.isArray(json) ? json : (json.orders ?? [])).length;
}

const statusCell = (orderId: string) => page.locator(`[data-order-id="${orderId}"] [data-col="status"]`);

async function waitForRowStatus(orderId: string, status: string): Promise<void> {
  await page.locator(`[data-order-id="${orderId}"][data-status="${status}"]`).waitFor({ timeout: 15_000 });
  expect(await statusCell(orderId).textContent()).toBe(status);
}

describe('web blotter', () => {
  beforeEach(async () => {
    await openPage(system.url);
    await page
      .locator('[data-connection="live"]')
      .waitFor({ timeout: 10_000 })
      .catch((error: unknown) => {
        throw new Error(`the blotter did not connect; page errors: ${pageErrors.join('; ') || 'none'}`, { cause: error });
      });
  });

  it('serves the page at / and leaves the API, docs and actuator to their routes', async () => {
    expect((await fetch(`${system.url}/`)).headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${system.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${system.url}/docs`)).status).toBe(200);
    expect((await fetch(`${system.url}/actuator/health/liveness`)).status).toBe(200);
    const unknown = await fetch(`${system.url}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('submits a MARKET order from the ticket with Enter, and its row goes FILLED live; the detail shows the routing decision, execution quality, children, fills and history', async () => {
    await submitFromTicket({ type: 'MARKET', quantity: '100', tif: 'IOC' });
    const orderId = await submittedOrderId();
    await waitForRowStatus(orderId, 'FILLED');
    const row = page.locator(`[data-order-id="${orderId}"]`);
    expect(await row.locator('[data-col="filledQuantity"]').textContent()).toBe('100');
    expect(await row.locator('[data-col="leavesQuantity"]').textContent()).toBe('0');
    // A decimal as the API writes it: no trailing zeros, so a fill at a whole price has no point.
    expect(await row.locator('[data-col="avgPrice"]').textContent()).toMatch(/^\d+(\.\d+)?$/);
    await screenshot(page, 'ticket-filled');

    await row.click();
    const detail = page.getByRole('complementary', { name: 'Order detail' });
    await detail.getByRole('table', { name: 'Fills' }).locator('tbody tr').first().waitFor();
    expect(await detail.getByRole('table', { name: 'Child orders' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await detail.getByRole('table', { name: 'History' }).textContent()).toContain('FILLED');
    // The routing decision: the strategy the router used and the NBBO it saw, bid below offer.
    const decision = (await detail.getByRole('region', { name: 'Routing decision' }).textContent()) ?? '';
    expect(decision).toMatch(/Route 1 at [\d:.]+ · SWEEP \(every level/);
    const [, bid, ask] = /NBBO seen (\d+(?:\.\d+)?) × (\d+(?:\.\d+)?)/.exec(decision) ?? [];
    expect(Number(bid), decision).toBeLessThan(Number(ask));
    // Its execution quality: all 100 filled, at the average price the row shows, one child.
    const quality = detail.getByRole('definition');
    const avgPrice = await row.locator('[data-col="avgPrice"]').textContent();
    expect(await quality.allTextContents()).toEqual(expect.arrayContaining(['100 of 100 (fill rate 1)', avgPrice!]));
    await screenshot(page, 'order-detail');
  });

  it('is driven from the keyboard: F2 to the symbol, Alt+S and Alt+M set side and type, Enter sends; Alt+2 and Alt+1 switch views, Alt+O reaches the grid', async () => {
    await page.getByLabel('Account').fill(ACCOUNT);
    await page.getByLabel('Quantity').fill('100');
    await page.getByLabel('TIF').selectOption('IOC');
    await page.getByLabel('Side').selectOption('BUY');
    await page.getByLabel('Type').selectOption('LIMIT');
    await page.keyboard.press('F2');
    expect(await page.evaluate('document.activeElement?.id')).toBe('ticket-symbol');
    await page.keyboard.type('MSFT');
    await page.keyboard.press('Alt+S');
    await page.keyboard.press('Alt+M');
    expect(await page.getByLabel('Side').inputValue()).toBe('SELL');
    expect(await page.getByLabel('Type').inputValue()).toBe('MARKET');
    await page.keyboard.press('Enter');
    const orderId = await submittedOrderId();
    await waitForRowStatus(orderId, 'FILLED');
    const stored = await waitForOrder(system.url, orderId, (o) => o.status === 'FILLED');
    expect([stored.symbol, stored.side, stored.orderType]).toEqual(['MSFT', 'SELL', 'MARKET']);

    await page.keyboard.press('Alt+2');
    await page.locator('main[aria-label="Market"]').waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('Market');
    await page.keyboard.press('Alt+1');
    await page.locator('form[aria-label="Order ticket"]').waitFor();
    await page.keyboard.press('Alt+O');
    await page.waitForFunction("document.activeElement?.getAttribute('aria-label') === 'Orders'");
  });

  it("shows the API's message on the Quantity field for a bad quantity, and stores nothing", async () => {
    // What the API itself says about this quantity: the page must show that, not its own text.
    const direct = await postOrder(system.url, {
      clientOrderId: 'BAD-QTY-PROBE',
      accountId: ACCOUNT,
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 0,
      limitPrice: null,
      timeInForce: 'IOC',
    });
    expect(direct.status).toBe(400);
    const apiMessage = (direct.json as { error: { fields: { field: string; message: string }[] } }).error.fields.find((f) => f.field === 'quantity')?.message;
    expect(apiMessage).toBeTruthy();

    // The orders earlier tests stored, once the blotter shows them all (its list loads after the stream connects).
    const storedBefore = await storedOrderCount();
    await page.waitForFunction(`document.querySelectorAll('[data-order-id]').length === ${storedBefore}`);
    await submitFromTicket({ type: 'MARKET', quantity: '0', tif: 'IOC' });
    const error = page.locator('#ticket-quantity-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(apiMessage);
    expect(await page.getByLabel('Quantity').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'bad-quantity');
    expect(await storedOrderCount()).toBe(storedBefore);
    expect(await page.locator('[data-order-id]').count()).toBe(storedBefore);
  });

  it('cancels a resting LIMIT order from its row, and the row goes CANCELED', async () => {
    // 4% under the reference price: below every offer of the seeded market, so the order rests.
    const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
    const reference = parseDecimal(market.referencePrice)!;
    const limitPrice = formatDecimal(((reference * 96n) / 100n / 1_000_000n) * 1_000_000n);
    await submitFromTicket({ type: 'LIMIT', quantity: '300', limitPrice, tif: 'DAY' });
    const orderId = await submittedOrderId();
    const resting = (o: OrderJson) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW');
    await waitForOrder(system.url, orderId, resting);
    await waitForRowStatus(orderId, 'NEW');
    await screenshot(page, 'resting-order');

    await page.locator(`[data-order-id="${orderId}"]`).getByRole('button', { name: 'Cancel' }).click();
    await waitForRowStatus(orderId, 'CANCELED');
    expect(await page.locator(`[data-order-id="${orderId}"] [data-col="leavesQuantity"]`).textContent()).toBe('0');
    await expect(page.locator(`[data-order-id="${orderId}"]`).getByRole('button', { name: 'Cancel' }).count()).resolves.toBe(0);
    await screenshot(page, 'canceled-order');

    // Its detail: every child canceled at its venue, and the request in the history.
    await page.locator(`[data-order-id="${orderId}"]`).click();
    const detail = page.getByRole('complementary', { name: 'Order detail' });
    await detail.getByRole('table', { name: 'History' }).getByText('CancelRequested').waitFor();
    await detail.getByRole('table', { name: 'History' }).getByText('Canceled', { exact: true }).waitFor();
    await screenshot(page, 'canceled-order-detail');
  });

  it('moves through the rows with the arrow keys, Home and End, the detail following, lets go with Escape, and widens a column dragged by its edge', async () => {
    for (let i = 0; i < 3; i++) {
      const placed = await postOrder(system.url, {
        clientOrderId: `KEYS-${i}-${Math.random().toString(36).slice(2)}`,
        accountId: ACCOUNT,
        symbol: 'AAPL',
        side: 'BUY',
        orderType: 'MARKET',
        quantity: 10,
        timeInForce: 'IOC',
      });
      expect(placed.status).toBe(201);
      await waitForRowStatus(String(placed.json.orderId), 'FILLED');
    }
    const rows = page.locator('[role="row"][data-order-id]');
    const ids = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-order-id')!));
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const detail = page.getByRole('complementary', { name: 'Order detail' });
    const selected = () => page.locator('[role="row"][aria-selected="true"]').getAttribute('data-order-id');
    const grid = page.getByRole('table', { name: 'Orders' });
    await grid.focus();

    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(ids[0]);
    await detail.getByText(ids[0]!, { exact: false }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(ids[2]);
    await detail.getByText(ids[2]!, { exact: false }).waitFor();
    await page.keyboard.press('ArrowUp');
    expect(await selected()).toBe(ids[1]);
    await page.keyboard.press('End');
    expect(await selected()).toBe(ids[ids.length - 1]);
    await page.keyboard.press('Home');
    expect(await selected()).toBe(ids[0]);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    expect(await page.locator('[role="row"][aria-selected="true"]').count()).toBe(0);

    // A column widened by dragging its header's right edge: its cells follow, and it did not sort.
    const header = page.getByRole('columnheader', { name: 'Symbol' });
    const before = (await header.boundingBox())!;
    const edge = (await header.locator('.resizer').boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 80, edge.y + edge.height / 2, { steps: 8 });
    await page.mouse.up();
    const after = (await header.boundingBox())!;
    expect(after.width - before.width).toBeGreaterThan(70);
    expect((await page.locator('[data-col="symbol"]').first().boundingBox())!.width).toBeCloseTo(after.width, 0);
    expect(await header.getAttribute('aria-sort')).toBe('none');
  });
});

// The same page against a server that checks tokens: it loads (its files are public), says a login
// is needed, and signs in at the issuer with the authorization code flow and PKCE.
describe('web blotter with AUTH_MODE=oidc', () => {
  let issuer: TestIssuer;
  let oidcSystem: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    oidcSystem = await startTestSystem({ AUTH_MODE: 'oidc', OIDC_ISSUER_URL: issuer.issuerUrl, OIDC_AUDIENCE: 'oms-api', OIDC_WEB_CLIENT_ID: 'oms-blotter' });
  }, 120_000);

  afterAll(async () => {
    await oidcSystem?.cleanUp();
    await issuer?.close();
  });

  it('serves the page and its assets without a token, keeps the API behind one, and shows "login required"', async () => {
    const html = await fetch(`${oidcSystem.url}/`);
    expect(html.status).toBe(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${oidcSystem.url}${script}`)).status).toBe(200);
    expect((await fetch(`${oidcSystem.url}/api/v1/orders?accountId=${ACCOUNT}`)).status).toBe(401);

    await openPage(oidcSystem.url);
    const message = page.getByRole('alert');
    await message.getByText('Login required.').waitFor();
    expect(await page.locator('form.ticket').count()).toBe(0);
    await screenshot(page, 'login-required');
  });

  it('signs in at the issuer (authorization code with PKCE) and trades with the token it got, only on its own accounts', async () => {
    issuer.signInAs = { subject: 'trader-oidc', roles: ['trader'], accounts: [ACCOUNT] };
    await openPage(`${oidcSystem.url}/?accounts=${ACCOUNT}`);
    await page
      .getByRole('alert')
      .getByText(`at ${new URL(issuer.issuerUrl).host}`)
      .waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    // To the issuer and back: the page is live as the user the issuer signed in, and the code has left the address.
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(`${oidcSystem.url}/?accounts=${ACCOUNT}`);
    expect(await page.locator('header .user').textContent()).toBe('trader-oidc · trader');
    await submitFromTicket({ type: 'MARKET', quantity: '100', tif: 'IOC' });
    await waitForRowStatus(await submittedOrderId(), 'FILLED');
    // Its token names one account: the same ticket is refused another one by the API, under Account.
    await page.getByLabel('Account').fill('ACC-OTHER');
    await page.getByLabel('Quantity').press('Enter');
    await page.locator('#ticket-accountId-error').getByText('not entitled to trade on account ACC-OTHER').waitFor();
    await screenshot(page, 'signed-in');
  });
});
