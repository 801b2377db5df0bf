import type { RiskControlStore } from '../../ports/risk-store.js';
import type { RiskControlSnapshot } from './risk-book.js';

/** The limits and kill switches as stored now, as the pre-trade check reads them. */
export async function readRiskControls(store: Pick<RiskControlStore, 'allLimits' | 'killSwitches'>): Promise<RiskControlSnapshot> {
  const [limits, killSwitches] = await Promise.all([store.allLimits(), store.killSwitches()]);
  return { overrides: new Map(limits.map((l) => [l.accountId, l.overrides])), killSwitches };
}

/**
 * The control store, telling the in-memory risk book about every change once it is committed
 * and before the caller hears of it: an engaged kill switch blocks the next order decided.
 */
export function feedingRiskControls(store: RiskControlStore, onChange: (controls: RiskControlSnapshot) => void): RiskControlStore {
  const after = async <T>(change: Promise<T>): Promise<T> => {
    const result = await change;
    onChange(await readRiskControls(store));
    return result;
  };
  return {
    limits: (accountId) => store.limits(accountId),
    allLimits: () => store.allLimits(),
    killSwitches: () => store.killSwitches(),
    auditTrail: (limit) => store.auditTrail(limit),
    setLimits: (accountId, overrides, change) => after(store.setLimits(accountId, overrides, change)),
    clearLimits: (accountId, change) => after(store.clearLimits(accountId, change)),
    engage: (target, reason, change) => after(store.engage(target, reason, change)),
    release: (target, reason, change) => after(store.release(target, reason, change)),
  };
}
