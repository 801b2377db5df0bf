import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startEmbeddedSystem, type RunningSystem } from '../../src/app/embedded.js';
import { testEnvironment } from '../support/embedded.js';
import { freePort } from '../support/processes.js';
import { buildWebApp, launchBrowser, screenshot } from './browser.js';
import { closeDesk, openDesk, placeRestingOrder, rowWithStatus, type Desk } from './desk.js';

/**
 * The page outlives the server: the system stops and starts again on the same port and data
 * directory while a blotter is open. The page says the stream is down, reconnects by itself with
 * the last event id it had, is told the server cannot replay it (`event: reset`: a new process),
 * reads the lists again, and then follows the live stream as before.
 */
const ACCOUNT = 'ACC-RESTART';

let dataDir: string;
let env: Record<string, string>;
let system: RunningSystem | undefined;
let browser: Browser;
let desk: Desk | undefined;

beforeAll(async () => {
  await buildWebApp();
  dataDir = mkdtempSync(join(tmpdir(), 'oms-browser-restart-'));
  env = testEnvironment(dataDir, { PORT: String(await freePort()) });
  system = await startEmbeddedSystem(loadConfig(env));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await closeDesk(desk);
  await browser?.close();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('web blotter across a server restart', () => {
  it('shows the stream down while the server is gone, then reconnects by itself and misses no update', async () => {
    const url = system!.url;
    const before = await placeRestingOrder(url, ACCOUNT);
    desk = await openDesk(browser, url, { path: `/?accounts=${ACCOUNT}` });
    const { page } = desk;
    await rowWithStatus(page, before, 'NEW');

    await system!.stop();
    system = undefined;
    await page.locator('[data-connection="down"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'stream-down');

    system = await startEmbeddedSystem(loadConfig(env));
    expect(system.url).toBe(url);
    // Changes made as soon as the server is back, before the page has necessarily reconnected:
    // the resting order is canceled and a new one placed. The page must show both.
    const cancel = await fetch(`${url}/api/v1/orders/${before}`, { method: 'DELETE' });
    expect(cancel.status).toBeLessThan(300);
    const after = await placeRestingOrder(url, ACCOUNT);

    await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    await rowWithStatus(page, before, 'CANCELED');
    await rowWithStatus(page, after, 'NEW');
    // And the live stream flows again: a change made now shows too.
    expect((await fetch(`${url}/api/v1/orders/${after}`, { method: 'DELETE' })).status).toBeLessThan(300);
    await rowWithStatus(page, after, 'CANCELED');
    await screenshot(page, 'stream-resumed');
  }, 90_000);
});
