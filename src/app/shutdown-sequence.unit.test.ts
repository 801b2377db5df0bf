import { describe, expect, it } from 'vitest';
import { ShutdownSequence } from './shutdown-sequence.js';

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, logger: { error: log('error'), warn: log('warn') } as never };
}

describe('ShutdownSequence', () => {
  it('stops parts in the reverse order of their start, past a part that fails, naming it', async () => {
    const stopped: string[] = [];
    const shutdown = new ShutdownSequence();
    shutdown.add('database', { stop: async () => void stopped.push('database') });
    shutdown.add('broken', { stop: () => Promise.reject(new Error('boom')) });
    shutdown.add('http', { stop: async () => void stopped.push('http') });
    const { lines, logger } = recordingLogger();
    await shutdown.stopAll(logger);
    expect(stopped).toEqual(['http', 'database']);
    expect(lines).toEqual([{ level: 'error', fields: { part: 'broken', err: new Error('boom') }, message: 'stop failed' }]);
    await shutdown.stopAll(logger);
    expect(stopped).toHaveLength(2);
  });

  it('names a part that is slow to stop while it is still stopping', async () => {
    const shutdown = new ShutdownSequence();
    const { lines, logger } = recordingLogger();
    let warnedBeforeItStopped = false;
    shutdown.add('quick', { stop: async () => undefined });
    shutdown.add('http', {
      stop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        warnedBeforeItStopped = lines.length === 1;
      },
    });
    await shutdown.stopAll(logger, 50);
    expect(warnedBeforeItStopped).toBe(true);
    expect(lines).toEqual([{ level: 'warn', fields: { part: 'http', afterMs: 50 }, message: 'still stopping' }]);
  });
});
