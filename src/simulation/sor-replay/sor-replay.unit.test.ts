import { describe, expect, it } from 'vitest';
import { formatTable } from './report-table.js';
import { runReplay, type ReplayOptions } from './replay.js';
import { REPLAY_STRATEGIES } from './route-parent.js';

const tiny: ReplayOptions = { seed: 3, orders: 80 };

describe('SOR replay', () => {
  it('is deterministic: the same seed gives the same table', () => {
    const table = () => formatTable(REPLAY_STRATEGIES.map((s) => runReplay(s, tiny)));
    const first = table();
    expect(table()).toBe(first);
    expect(first.split('\n')).toHaveLength(2 + REPLAY_STRATEGIES.length);
    expect(formatTable([runReplay('NAIVE', { ...tiny, seed: 4 })])).not.toBe(formatTable([runReplay('NAIVE', tiny)]));
  });

  it('sends NAIVE only to XNYS, one child per parent', () => {
    const naive = runReplay('NAIVE', tiny);
    expect([...naive.venuesUsed]).toEqual(['XNYS']);
    expect(naive.orders.every((o) => o.childCount === 1)).toBe(true);
  });

  it('never fills more than ordered, and DARK_FIRST reaches the dark pool', () => {
    for (const strategy of REPLAY_STRATEGIES) {
      const result = runReplay(strategy, tiny);
      expect(result.orders.every((o) => o.filledQuantity <= o.orderedQuantity)).toBe(true);
      expect(result.aggregate.orders).toBe(tiny.orders);
    }
    expect(runReplay('DARK_FIRST', tiny).venuesUsed.has('XDRK')).toBe(true);
    expect(runReplay('SWEEP', tiny).venuesUsed.has('XDRK')).toBe(false);
  });
});
