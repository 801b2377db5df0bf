import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/pino-logger.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { createHttpApp } from './app.js';

/** Sends GET `path` on a keep-alive connection that the client itself would hold for a minute. */
function getKeptAlive(port: number, path: string, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    get({ port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }));
    }).on('error', reject);
  });
}

describe('closing the HTTP app', () => {
  it('does not wait for keep-alive clients: a request in flight is answered, then its connection closed', async () => {
    const app = createHttpApp({ logger: createLogger({ level: 'silent' }), metrics: createMetrics() });
    app.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, timeout: 60_000 });
    try {
      const answer = getKeptAlive(port, '/slow', agent);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      await app.close();
      // Node keeps such a connection open after close() until its idle timeout (Fastify's: 72 s).
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(await answer).toEqual({ status: 200, connection: 'close' });
    } finally {
      agent.destroy();
    }
  });

  it('cuts a request that is still unanswered after the grace period, so the close ends', async () => {
    const app = createHttpApp({ logger: createLogger({ level: 'silent' }), metrics: createMetrics() });
    app.get('/never', () => new Promise(() => undefined));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = getKeptAlive(port, '/never', agent).catch((error: NodeJS.ErrnoException) => error.code);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      await app.close();
      expect(performance.now() - started).toBeGreaterThan(4_000);
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(await answer).toBe('ECONNRESET');
    } finally {
      agent.destroy();
    }
  });
});
