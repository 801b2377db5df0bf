import type { Logger } from '../../ports/logger.js';
import { lastResetBoundary, parseDailyTime } from '../../lib/daily-time.js';
import type { Clock } from '../../ports/clock.js';

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next `HH:MM:SS` UTC (a close exactly now is the next day's): the day after the last one. */
export function msUntilNextClose(closeUtc: string, now: Date): number {
  return lastResetBoundary(parseDailyTime(closeUtc), now.getTime()) + DAY_MS - now.getTime();
}

/**
 * oms-core's session close: once a day at SESSION_CLOSE_UTC every working DAY order is taken out of
 * the market and ends EXPIRED (GTC orders stay). Several oms-core instances may all fire: the
 * second request for an order is refused by its state machine and changes nothing.
 */
export class SessionClose {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: { closeUtc: string; clock: Clock; expireDayOrders: () => Promise<number>; logger: Logger }) {}

  start(): void {
    const wait = msUntilNextClose(this.options.closeUtc, this.options.clock.now());
    this.timer = setTimeout(() => void this.fire(), wait);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async fire(): Promise<void> {
    const { logger, expireDayOrders } = this.options;
    try {
      const count = await expireDayOrders();
      logger.info({ count, closeUtc: this.options.closeUtc }, 'session close: working DAY orders sent to expire');
    } catch (error) {
      logger.error({ err: error }, 'session close: DAY orders could not be expired; retrying in 5 s');
      if (!this.stopped) this.timer = setTimeout(() => void this.fire(), 5_000);
      return;
    }
    if (!this.stopped) this.start();
  }
}
