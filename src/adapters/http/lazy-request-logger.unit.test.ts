import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type Logger } from '../observability/pino-logger.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { createHttpApp } from './app.js';
import { lazyRequestLogger } from './lazy-request-logger.js';

function capturedLogger(level = 'info'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => (written.push(chunk.toString()), done()) });
  const logger = createLogger({ level, name: 'oms-ingest', destination });
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('lazyRequestLogger', () => {
  it('makes the child logger only when a line is written, once, with its bindings and the redaction', () => {
    const { logger, lines } = capturedLogger();
    const makeChild = vi.spyOn(logger, 'child');
    const requestLog = lazyRequestLogger(logger, { reqId: 'req-1' }, {});
    expect(requestLog.level).toBe('info');
    expect(makeChild).not.toHaveBeenCalled();

    requestLog.info({ token: 'secret-token' }, 'first');
    requestLog.warn('second');
    expect(makeChild).toHaveBeenCalledTimes(1);
    expect(lines()).toMatchObject([
      { service: 'oms-ingest', reqId: 'req-1', token: '[redacted]', msg: 'first', level: 30 },
      { service: 'oms-ingest', reqId: 'req-1', msg: 'second', level: 40 },
    ]);
  });

  it('keeps a level of its own once set, as a child does', () => {
    const { logger, lines } = capturedLogger('info');
    const requestLog = lazyRequestLogger(logger, { reqId: 'req-2' }, {});
    requestLog.level = 'error';
    requestLog.info('dropped');
    requestLog.error('kept');
    expect(logger.level).toBe('info');
    expect(lines().map((line) => line.msg)).toEqual(['kept']);
  });
});

describe('the HTTP app with lazy request loggers', () => {
  it('writes a failed request line with its reqId, and makes no logger for requests that log nothing', async () => {
    const { logger, lines } = capturedLogger();
    const app = createHttpApp({ logger, metrics: createMetrics() });
    apps.push(app);
    app.get('/fine', async () => ({ ok: true }));
    app.get('/broken', async () => {
      throw new Error('the store is gone');
    });
    await app.ready();
    const makeChild = vi.spyOn(logger, 'child');

    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/fine' })).statusCode).toBe(200);
    expect(makeChild).not.toHaveBeenCalled();

    const failed = await app.inject({ method: 'GET', url: '/broken' });
    expect(failed.statusCode).toBe(500);
    expect(makeChild).toHaveBeenCalledTimes(1);
    const [line] = lines().filter((l) => l.msg === 'request failed');
    expect(line).toMatchObject({ service: 'oms-ingest', level: 50, err: { message: 'the store is gone' } });
    expect(line?.reqId).toEqual(expect.any(String));
  });
});
