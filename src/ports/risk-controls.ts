import type { Validated } from '../domain/order/validation.js';
import type { KillSwitch } from '../domain/risk/kill-switch.js';
import type { RiskLimits } from '../domain/risk/limits.js';
import type { RiskPolicy } from '../domain/risk/policy.js';
import type { RiskAuditEntry, StoredLimits } from './risk-store.js';

export interface AccountLimits {
  readonly accountId: string;
  /** The account's own settings; null when it runs on the defaults. */
  readonly stored: StoredLimits | null;
  readonly effective: RiskLimits;
}

export interface EngageResult {
  readonly killSwitch: KillSwitch;
  readonly engagedNow: boolean;
  /** Orders asked to cancel; null when no cancel flow is wired into this process. */
  readonly canceledOrders: number | null;
}

/** The switch is engaged (it blocks new orders) but cancelling the working orders failed; engaging again retries. */
export class CancelAllFailedError extends Error {
  constructor(
    readonly killSwitch: KillSwitch,
    cause: unknown,
  ) {
    super(`kill switch engaged, but cancelling working orders failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CancelAllFailedError';
  }
}

/**
 * What a risk officer does over the API: limits per account over the configured defaults, and
 * kill switches. `actor` names who made a change, for its audit entry.
 */
export interface RiskControls {
  readonly policy: RiskPolicy;
  limits(accountId: string): Promise<Validated<AccountLimits>>;
  allLimits(): Promise<StoredLimits[]>;
  setLimits(accountId: string, body: unknown, actor?: string): Promise<Validated<AccountLimits>>;
  clearLimits(accountId: string, actor?: string): Promise<Validated<AccountLimits | null>>;
  /** Rejects with CancelAllFailedError when the switch is engaged but its cancels failed. */
  engage(body: unknown, actor?: string): Promise<Validated<EngageResult>>;
  release(query: { scope?: unknown; accountId?: unknown; reason?: unknown }, actor?: string): Promise<Validated<KillSwitch | null>>;
  killSwitches(): Promise<KillSwitch[]>;
  auditTrail(limit: number): Promise<RiskAuditEntry[]>;
}
