import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { deskSystem, devToken, placeRestingOrder, rowWithStatus, submitFromTicket, type Desk } from './desk.js';

/**
 * The web blotter shows each user what its roles allow, as the API tells the page (GET /api/v1/me):
 * users here hold dev mode's own tokens, handed to the page as `#token=`, as a user would open it.
 */
const system = deskSystem();
const deskOf = (token?: string): Promise<Desk> => system.open(token);

describe('web blotter by role', () => {
  it('shows a viewer its account live, with no order ticket and no cancel or replace buttons', async () => {
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
    expect(await page.getByRole('button', { name: 'Replace' }).count()).toBe(0);
    // The market, positions and execution quality like every role, but not the risk view.
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Orders', 'Market', 'Positions', 'Execution quality']);
    await screenshot(page, 'viewer');
  });

  it('gives a trader the ticket on its own account, and cancel and replace buttons on working orders', async () => {
    const account = 'ACC-TRADE';
    const resting = await placeRestingOrder(system.url, account);
    const { page } = await deskOf(await devToken(system.url, 'trader-1', ['trader'], [account]));
    expect(await page.locator('header .user').textContent()).toBe('trader-1 · trader');
    expect(await page.getByLabel('Account').inputValue()).toBe(account);
    await page.locator(`[data-order-id="${resting}"][data-status="NEW"]`).getByRole('button', { name: 'Cancel' }).waitFor();
    await page.locator(`[data-order-id="${resting}"][data-status="NEW"]`).getByRole('button', { name: 'Replace' }).waitFor();
  });

  it("lets the risk officer turn an account's kill switch on: the next order from the ticket shows REJECTED with its reason; then off", async () => {
    const account = 'ACC-KS-WEB';
    const reason = 'browser test: runaway algo';
    // A limit of the account's own, for the limits table to show beside the defaults.
    const limit = await fetch(`${system.url}/api/v1/risk/limits/${account}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ maxOrderQuantity: 50_000 }),
    });
    expect(limit.status).toBe(200);
    const risk = await deskOf(await devToken(system.url, 'risk-1', ['risk-officer'], ['*']));
    // A risk officer does not trade: no ticket, no cancel.
    expect(await risk.page.locator('form.ticket').count()).toBe(0);
    await risk.page.getByRole('tab', { name: 'Risk' }).click();
    const switches = risk.page.getByRole('region', { name: 'Kill switches' });
    await switches.locator('[data-global="off"]').waitFor();
    await switches.getByLabel('Scope').selectOption('ACCOUNT');
    await switches.getByLabel('Account').fill(account);
    await switches.getByLabel('Reason').fill(reason);
    await switches.getByRole('button', { name: 'Engage kill switch' }).click();
    const engaged = switches.locator(`tr[data-scope="ACCOUNT"][data-account="${account}"]`);
    await engaged.waitFor();
    expect(await engaged.locator('.reason').textContent()).toBe(reason);
    expect(await switches.locator('.outcome').textContent()).toBe(`Engaged for account ${account}: 0 working orders canceled`);
    const audit = risk.page.getByRole('table', { name: 'Risk audit trail' });
    await audit.locator('tr[data-action="KILL_SWITCH_ENGAGED"]').first().waitFor();
    const limits = risk.page.getByRole('table', { name: 'Limits per account' });
    expect(await limits.locator('tr[data-account="defaults"]').count()).toBe(1);
    expect(await limits.locator(`tr[data-account="${account}"] td.override`).textContent()).toBe('50000');

    const trader = await deskOf(await devToken(system.url, 'trader-ks', ['trader'], [account]));
    const blocked = await submitFromTicket(trader.page, { account, type: 'MARKET', quantity: '100', tif: 'IOC' });
    const row = await rowWithStatus(trader.page, blocked, 'REJECTED');
    expect(await row.locator('[data-col="rejectReason"]').textContent()).toBe(`KILL_SWITCH: kill switch of account ${account} engaged by risk-1: ${reason}`);
    await screenshot(trader.page, 'kill-switch-rejected');
    await screenshot(risk.page, 'risk-view');

    await engaged.getByRole('button', { name: 'Release' }).click();
    await engaged.waitFor({ state: 'detached' });
    await audit.locator('tr[data-action="KILL_SWITCH_RELEASED"]').first().waitFor();
    const allowed = await submitFromTicket(trader.page, { account, type: 'MARKET', quantity: '100', tif: 'IOC' });
    await rowWithStatus(trader.page, allowed, 'FILLED');
  });

  it("lets the risk officer set an account's limit from the Risk tab: a bad value shows the API's message, the next order over it is REJECTED; back to defaults, it fills", async () => {
    const account = 'ACC-LIM-WEB';
    const risk = await deskOf(await devToken(system.url, 'risk-2', ['risk-officer'], ['*']));
    await risk.page.getByRole('tab', { name: 'Risk' }).click();
    const form = risk.page.getByRole('form', { name: 'Set a limit' });
    await form.getByLabel('Account').fill(account);
    await form.getByLabel('Limit').selectOption('maxOrderQuantity');
    await form.getByLabel('Value').fill('lots');
    await form.getByRole('button', { name: 'Set limit' }).click();
    // The API's own message, under the field it names; nothing stored.
    await form.locator('.field-error').waitFor();
    expect(await form.locator('.field-error').textContent()).toMatch(/integer|number/i);
    const stored = (await (await fetch(`${system.url}/api/v1/risk/limits/${account}`)).json()) as { overrides: Record<string, unknown> };
    expect(stored.overrides).toEqual({});

    await form.getByLabel('Value').fill('50');
    await form.getByRole('button', { name: 'Set limit' }).click();
    const limits = risk.page.getByRole('table', { name: 'Limits per account' });
    await limits.locator(`tr[data-account="${account}"] td.override`).getByText('50', { exact: true }).waitFor();
    await risk.page.getByRole('table', { name: 'Risk audit trail' }).locator('tr[data-action="LIMITS_SET"]').first().waitFor();

    const trader = await deskOf(await devToken(system.url, 'trader-lim', ['trader'], [account]));
    const over = await submitFromTicket(trader.page, { account, type: 'MARKET', quantity: '100', tif: 'IOC' });
    const row = await rowWithStatus(trader.page, over, 'REJECTED');
    expect(await row.locator('[data-col="rejectReason"]').textContent()).toMatch(/^MAX_QUANTITY: /);

    await form.getByRole('button', { name: 'Back to defaults' }).click();
    await limits.locator(`tr[data-account="${account}"]`).waitFor({ state: 'detached' });
    const allowed = await submitFromTicket(trader.page, { account, type: 'MARKET', quantity: '100', tif: 'IOC' });
    await rowWithStatus(trader.page, allowed, 'FILLED');
    await screenshot(risk.page, 'risk-limit-set');
  });
});
