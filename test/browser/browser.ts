import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

/** Debian's chromium (scripts/ensure-test-services.sh installs it): Playwright's own browser download is not reachable here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');

const WEB_SOURCE = join(process.cwd(), 'web');
const WEB_OUT = join(process.cwd(), 'dist', 'web');
/** What dist/web was built from, written after a build by these tests (`npm run build` empties the folder, and with it this). */
const BUILT_FROM = join(WEB_OUT, '.built-from');
const BUILD_LOCK = join(process.cwd(), '.tmp', 'web-build.lock');

/**
 * Builds the web blotter into dist/web, where oms-ingest serves it from, as `npm run build` does: the
 * test sees the current code. Browser test files may run in parallel, and a second build into the
 * same folder would empty it under the first file's page: so one builds at a time, and a build of
 * the same sources (web/ and the locked dependencies) is not repeated.
 */
export async function buildWebApp(): Promise<void> {
  await withLock(BUILD_LOCK, async () => {
    const sources = sourceHash();
    if (existsSync(BUILT_FROM) && readFileSync(BUILT_FROM, 'utf8') === sources) return;
    await build({ configFile: join(WEB_SOURCE, 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(BUILT_FROM, sources);
  });
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    if (statSync(path).isDirectory())
      readdirSync(path)
        .sort()
        .forEach((name) => add(join(path, name)));
    else hash.update(path).update(readFileSync(path));
  };
  add(WEB_SOURCE);
  add(join(process.cwd(), 'package-lock.json'));
  return hash.digest('hex');
}

/** A lock across processes: mkdir either creates the folder or fails. One left by a killed run is taken over after a while. */
async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(join(path, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(path, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000) rmSync(path, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
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
