import { call } from './client.js';

/** The risk API's JSON (README, Pre-trade risk; /openapi.json, tag risk). Money is a decimal string. */
export interface RiskLimits {
  maxOrderQuantity?: number;
  maxOrderNotional?: string;
  priceCollarBps?: number;
  restrictedSymbols?: string[];
  creditLimit?: string | null;
  maxPosition?: number | null;
  duplicateWindowMs?: number;
  maxOrdersPerSecond?: number | null;
}

export interface AllLimits {
  defaults: RiskLimits;
  knownAccounts: 'ANY' | string[];
  accounts: { accountId: string; overrides: RiskLimits; updatedBy: string; updatedAt: string }[];
}

export interface AccountLimits {
  accountId: string;
  /** Effective: the defaults with the account's overrides. */
  limits: RiskLimits;
  overrides: RiskLimits;
  updatedBy: string | null;
  updatedAt: string | null;
}

export const KILL_SWITCH_SCOPES = ['ACCOUNT', 'GLOBAL'] as const;
export type KillSwitchScope = (typeof KILL_SWITCH_SCOPES)[number];

export interface KillSwitch {
  scope: KillSwitchScope;
  accountId: string | null;
  reason: string;
  engagedBy: string;
  engagedAt: string;
}

export interface EngageResult {
  killSwitch: KillSwitch;
  engagedNow: boolean;
  /** Working orders canceled; null when it was already engaged. */
  canceledOrders: number | null;
}

export interface AuditEntry {
  id: number;
  action: string;
  scope: KillSwitchScope;
  accountId: string | null;
  actor: string;
  detail: Record<string, unknown>;
  occurredAt: string;
}

const path = (accountId: string): string => `/api/v1/risk/limits/${encodeURIComponent(accountId)}`;

/** Needs entitlement to every account (*). */
export const allLimits = (): Promise<AllLimits> => call('GET', '/api/v1/risk/limits');
export const accountLimits = (accountId: string): Promise<AccountLimits> => call('GET', path(accountId));

export const killSwitches = async (): Promise<KillSwitch[]> => (await call<{ engaged: KillSwitch[] }>('GET', '/api/v1/risk/kill-switch')).engaged;

export const engageKillSwitch = (request: { scope: KillSwitchScope; accountId?: string; reason: string }): Promise<EngageResult> =>
  call('POST', '/api/v1/risk/kill-switch', request);

export function releaseKillSwitch(target: Pick<KillSwitch, 'scope' | 'accountId'>): Promise<{ released: KillSwitch }> {
  const query = new URLSearchParams({ scope: target.scope, ...(target.accountId ? { accountId: target.accountId } : {}) });
  return call('DELETE', `/api/v1/risk/kill-switch?${query.toString()}`);
}

/** Newest first. */
export const auditTrail = async (limit = 100): Promise<AuditEntry[]> =>
  (await call<{ entries: AuditEntry[] }>('GET', `/api/v1/risk/audit?limit=${limit}`)).entries;

/** Replaces the account's own limits (the API keeps exactly the overrides sent). */
export const setAccountLimits = (accountId: string, overrides: RiskLimits): Promise<AccountLimits> => call('PUT', path(accountId), overrides);

/** Back to the defaults. */
export const clearAccountLimits = (accountId: string): Promise<AccountLimits> => call('DELETE', path(accountId));
