import type { RiskDecision } from '../domain/risk/decision.js';
import type { AccountExposure, RiskOrder } from '../domain/risk/exposure.js';
import type { KillSwitch, KillSwitchScope } from '../domain/risk/kill-switch.js';
import type { RiskLimitOverrides } from '../domain/risk/limits.js';

/** What each account of a batch needs loaded (see exposureNeeds); null: that check is off. */
export interface ExposureRequest {
  readonly accountId: string;
  /** Open orders and positions, for the credit and position checks. */
  readonly holdings: boolean;
  /** Approvals with the same terms as an order being decided, decided after this. */
  readonly duplicatesSince: Date | null;
  /** How many approvals were decided after this. */
  readonly throttleSince: Date | null;
}

export interface RecordedDecision {
  readonly order: RiskOrder;
  readonly decision: RiskDecision;
  readonly decidedAt: Date;
}

/** The reads and writes of one batch of pre-trade decisions, inside one transaction. */
export interface RiskDecisionSession {
  /** Limit overrides of these accounts, and the kill switches that concern them (global included). */
  controls(accountIds: readonly string[]): Promise<{ overrides: ReadonlyMap<string, RiskLimitOverrides>; killSwitches: readonly KillSwitch[] }>;
  /** Each account's exposure, leaving out the orders being decided (a redelivered order must not count itself). */
  exposure(requests: readonly ExposureRequest[], deciding: readonly RiskOrder[]): Promise<Map<string, AccountExposure>>;
  /** Stores decisions; an approval once stored stays, so an order's exposure is never forgotten. */
  recordDecisions(decisions: readonly RecordedDecision[]): Promise<void>;
}

export interface RiskDecisionStore {
  /**
   * Runs `work` in one transaction holding a lock per account (in the database, so it holds across
   * risk-service instances): decisions of one account never overlap, and none sees half of another.
   */
  forAccounts<T>(accountIds: readonly string[], work: (session: RiskDecisionSession) => Promise<T>): Promise<T>;
}

/** Who changes a control, and when. */
export interface ControlChange {
  readonly actor: string;
  readonly at: Date;
}

export interface StoredLimits {
  readonly accountId: string;
  readonly overrides: RiskLimitOverrides;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

export interface RiskAuditEntry {
  readonly id: number;
  readonly action: 'LIMITS_SET' | 'LIMITS_CLEARED' | 'KILL_SWITCH_ENGAGED' | 'KILL_SWITCH_RELEASED';
  readonly target: KillSwitchScope;
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
}

/** Limits and kill switches as the risk officer changes them; every change writes its audit entry in the same transaction. */
export interface RiskControlStore {
  limits(accountId: string): Promise<StoredLimits | null>;
  allLimits(): Promise<StoredLimits[]>;
  setLimits(accountId: string, overrides: RiskLimitOverrides, change: ControlChange): Promise<StoredLimits>;
  /** Back to the defaults; false when the account had no overrides. */
  clearLimits(accountId: string, change: ControlChange): Promise<boolean>;
  /** Engages the switch, or returns the one already engaged (engagedNow false). */
  engage(target: KillSwitchScope, reason: string, change: ControlChange): Promise<{ killSwitch: KillSwitch; engagedNow: boolean }>;
  /** Releases the switch; null when it was not engaged. */
  release(target: KillSwitchScope, reason: string | null, change: ControlChange): Promise<KillSwitch | null>;
  killSwitches(): Promise<KillSwitch[]>;
  /** Newest first. */
  auditTrail(limit: number): Promise<RiskAuditEntry[]>;
}
