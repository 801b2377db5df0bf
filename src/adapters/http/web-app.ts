import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { apiError } from './errors.js';

export const WEB_ROOT_ROUTE = '/';
export const WEB_ASSETS_PREFIX = '/assets/';

/**
 * Where `npm run build` puts the web blotter (Vite's output, web/vite.config.ts). This module sits
 * three folders below the package root both as src/adapters/http/*.ts and dist/adapters/http/*.js.
 */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/**
 * Serves the trader's web blotter: its page at `/` and its hashed assets under `/assets/`. Only
 * those two paths, so the static files can never shadow the API, the actuator or the docs, and an
 * unknown path still gets the API's JSON 404. Without a build (tests that never ran `npm run
 * build`), `/` says how to get one instead of failing the start.
 */
export async function installWebApp(app: FastifyInstance, webDir: string = DEFAULT_WEB_DIR): Promise<void> {
  if (!existsSync(`${webDir}/index.html`)) {
    app.get(WEB_ROOT_ROUTE, { schema: { hide: true } }, (_request, reply) => {
      const mapped = apiError('NOT_FOUND', undefined, 'The web blotter is not built: run npm run build');
      return reply.status(mapped.status).send(mapped.body);
    });
    return;
  }
  // Encapsulated: @fastify/swagger-ui registers @fastify/static too, and reply.sendFile must be decorated once per scope.
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: `${webDir}/assets`,
      prefix: WEB_ASSETS_PREFIX,
      // Vite names assets by content hash: a changed file is a new name.
      immutable: true,
      maxAge: '365d',
      index: false,
    });
    // The page names the current assets: revalidated every time, never kept like them.
    scope.get(WEB_ROOT_ROUTE, { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html', webDir, { cacheControl: false }),
    );
  });
}

/** The page and its assets hold no data: public, so the page can load and then ask for a login. */
export const isWebRoute = (route: string): boolean => route === WEB_ROOT_ROUTE || route.startsWith(WEB_ASSETS_PREFIX);
