import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

/** Debian's chromium (scripts/ensure-test-services.sh installs it): Playwright's own browser download is not reachable here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');

/** Builds the web blotter into dist/web, where oms-ingest serves it from, as `npm run build` does: the test sees the current code. */
export async function buildWebApp(): Promise<void> {
  await build({ configFile: join(process.cwd(), 'web', 'vite.config.ts'), logLevel: 'warn' });
}

export async function launchBrowser(): Promise<Browser> {
  // As root (CI) Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
