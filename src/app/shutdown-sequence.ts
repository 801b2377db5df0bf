import type { Logger } from '../adapters/observability/pino-logger.js';

/** Something started that must be stopped on shutdown (servers, consumers, sessions, timers). */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Stops parts in the reverse order of their start, each once, continuing past failures so a
 * broken part cannot keep the others (and the database) open. A part slow to stop is named in the
 * log while it is still stopping: the part that holds a shutdown up is the one to look at.
 */
export class ShutdownSequence {
  private readonly parts: { name: string; part: Stoppable }[] = [];

  add(name: string, part: Stoppable): void {
    this.parts.push({ name, part });
  }

  async stopAll(logger: Pick<Logger, 'error' | 'warn'>, slowAfterMs = 5_000): Promise<void> {
    while (this.parts.length > 0) {
      const { name, part } = this.parts.pop()!;
      const slow = setTimeout(() => logger.warn({ part: name, afterMs: slowAfterMs }, 'still stopping'), slowAfterMs);
      try {
        await part.stop();
      } catch (error) {
        logger.error({ part: name, err: error }, 'stop failed');
      } finally {
        clearTimeout(slow);
      }
    }
  }
}
