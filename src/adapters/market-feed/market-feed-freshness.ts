import type { Clock } from '../../ports/clock.js';
import type { HealthIndicator } from '../../ports/health.js';

/** Steps missed in a row before the feed counts as stale (and at least 5 s). */
const STALE_AFTER_STEPS = 50;
const STALE_AFTER_MIN_MS = 5_000;

/**
 * Whether market steps still arrive. A service whose feed stopped (Redis away, the
 * marketdata-simulator down) goes on with the last step it got: the actuator's health says so,
 * naming how long it has been, without gating readiness, since orders are still taken and routed.
 */
export class MarketFeedFreshness {
  private lastStepAt: number | undefined;
  private readonly staleAfterMs: number;

  constructor(
    private readonly clock: Clock,
    stepMs: number,
  ) {
    this.staleAfterMs = Math.max(STALE_AFTER_MIN_MS, STALE_AFTER_STEPS * stepMs);
  }

  /** Called with each step received. */
  readonly stepArrived = (): void => {
    this.lastStepAt = this.clock.now().getTime();
  };

  readonly indicator: HealthIndicator = {
    name: 'market feed',
    gatesReadiness: false,
    check: async () => {
      if (this.lastStepAt === undefined) return { up: false, detail: 'no market step received yet' };
      const silentMs = this.clock.now().getTime() - this.lastStepAt;
      if (silentMs <= this.staleAfterMs) return { up: true };
      return { up: false, detail: `no market step for ${(silentMs / 1000).toFixed(1)} s: routing and risk use the last one` };
    },
  };
}
