import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installWebApp, isWebRoute } from './web-app.js';

/** The web blotter's files: served at / and /assets/ only, so every other path stays the API's. */
let app: FastifyInstance | undefined;
let dir: string | undefined;

async function appServing(webDir: string): Promise<FastifyInstance> {
  app = Fastify();
  await installWebApp(app, webDir);
  app.get('/api/v1/ping', () => ({ pong: true }));
  await app.ready();
  return app;
}

afterEach(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  app = dir = undefined;
});

describe('installWebApp', () => {
  it('serves the built page at / (not cached) and its hashed assets under /assets/ (cached for good), nothing else', async () => {
    dir = mkdtempSync(join(tmpdir(), 'web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>blotter</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const web = await appServing(dir);

    const page = await web.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await web.inject('/assets/index-abc.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await web.inject('/index.html')).statusCode).toBe(404);
    expect((await web.inject('/assets/../index.html')).statusCode).toBe(404);
    expect((await web.inject('/api/v1/ping')).json()).toEqual({ pong: true });
  });

  it('answers / with a 404 saying how to build the page when there is no build', async () => {
    const web = await appServing(join(tmpdir(), 'no-such-web-build'));
    const page = await web.inject('/');
    expect(page.statusCode).toBe(404);
    expect(page.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'The web blotter is not built: run npm run build' } });
  });

  it('names its routes for the access check: the page and its assets only', () => {
    expect(['/', '/assets/*'].every(isWebRoute)).toBe(true);
    expect(['/api/v1/orders', '/docs', '/openapi.json', '/actuator/health'].some(isWebRoute)).toBe(false);
  });
});
