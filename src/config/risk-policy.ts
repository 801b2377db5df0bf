import { parseDecimal, type Money } from '../domain/money/price.js';
import type { RiskPolicy } from '../domain/risk/policy.js';
import type { RiskSettings } from './config.js';

/** The configured risk settings as the domain's policy (decimal strings to fixed point). */
export function riskPolicyFrom(settings: RiskSettings): RiskPolicy {
  return {
    defaults: {
      maxOrderQuantity: settings.maxOrderQuantity,
      maxOrderNotional: parseDecimal(settings.maxOrderNotional) as Money,
      priceCollarBps: settings.priceCollarBps,
      restrictedSymbols: new Set(settings.restrictedSymbols),
      creditLimit: settings.creditLimit === null ? null : (parseDecimal(settings.creditLimit) as Money),
      maxPosition: settings.maxPosition,
      duplicateWindowMs: settings.duplicateWindowMs,
      maxOrdersPerSecond: settings.maxOrdersPerSecond,
    },
    knownAccounts: settings.knownAccounts === 'ANY' ? 'ANY' : new Set(settings.knownAccounts),
  };
}
