import { describe, expect, it } from 'vitest';
import { MarketFeedFreshness } from './market-feed-freshness.js';

describe('MarketFeedFreshness', () => {
  const clock = {
    at: 0,
    now() {
      return new Date(this.at);
    },
  };

  it('is down until the first step, up while steps come, and down naming the silence once 50 steps are missed', async () => {
    clock.at = 1_000_000;
    const freshness = new MarketFeedFreshness(clock, 200);
    expect(freshness.indicator.gatesReadiness).toBe(false);
    expect(await freshness.indicator.check()).toEqual({ up: false, detail: 'no market step received yet' });
    freshness.stepArrived();
    clock.at += 10_000;
    expect(await freshness.indicator.check()).toEqual({ up: true });
    clock.at += 1;
    expect(await freshness.indicator.check()).toEqual({ up: false, detail: 'no market step for 10.0 s: routing and risk use the last one' });
    freshness.stepArrived();
    expect(await freshness.indicator.check()).toEqual({ up: true });
  });

  it('waits at least 5 s when steps are short', async () => {
    clock.at = 0;
    const freshness = new MarketFeedFreshness(clock, 20);
    freshness.stepArrived();
    clock.at = 5_000;
    expect((await freshness.indicator.check()).up).toBe(true);
    clock.at = 5_001;
    expect((await freshness.indicator.check()).up).toBe(false);
  });
});
