import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, serviceLogger } from './pino-logger.js';

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  return { lines, destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }) };
}

/** How often `key` appears at the top level of a JSON line (JSON.parse would keep only the last). */
const keyCount = (line: string, key: string): number => line.split(`"${key}":`).length - 1;

describe('log lines', () => {
  it("carry exactly one service key: the process's, or the component's in a process that runs several", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', name: 'oms', destination });
    logger.info('process line');
    serviceLogger(logger, 'oms-ingest').info('component line');
    serviceLogger(logger, 'oms-core').child({ orderId: 'o-1' }).info('order line');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(keyCount(line, 'service')).toBe(1);
    expect(lines.map((line) => (JSON.parse(line) as { service: string }).service)).toEqual(['oms', 'oms-ingest', 'oms-core']);
    expect(JSON.parse(lines[2]!)).toMatchObject({ service: 'oms-core', orderId: 'o-1', msg: 'order line' });
  });

  it('of a service process name it once', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', name: 'risk-service', destination }).child({ part: 'x' }).warn('w');
    expect(keyCount(lines[0]!, 'service')).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'risk-service', part: 'x', level: 40 });
  });
});
