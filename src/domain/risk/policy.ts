import type { RiskLimits } from './limits.js';

/** The firm-wide part of pre-trade risk: default limits (accounts override them) and the accounts allowed to trade. */
export interface RiskPolicy {
  readonly defaults: RiskLimits;
  readonly knownAccounts: ReadonlySet<string> | 'ANY';
}
