import type { KillSwitch, KillSwitchScope } from '../../../domain/risk/kill-switch.js';
import { validateLimitOverrides, type RiskLimitOverrides } from '../../../domain/risk/limits.js';

export interface KillSwitchRow {
  scope: string;
  account_id: string;
  reason: string;
  engaged_by: string;
  engaged_at: Date | string;
}

/** The columns a scope is stored in: the global switch has account_id ''. */
export function scopeColumns(target: KillSwitchScope): [scope: string, accountId: string] {
  return target.scope === 'GLOBAL' ? ['GLOBAL', ''] : ['ACCOUNT', target.accountId];
}

export function scopeFromColumns(scope: string, accountId: string | null): KillSwitchScope {
  return scope === 'GLOBAL' ? { scope: 'GLOBAL' } : { scope: 'ACCOUNT', accountId: accountId ?? '' };
}

export function killSwitchFromRow(row: KillSwitchRow): KillSwitch {
  return { target: scopeFromColumns(row.scope, row.account_id), reason: row.reason, engagedBy: row.engaged_by, engagedAt: new Date(row.engaged_at) };
}

/** Stored overrides go through the API's own validation: a row it would refuse is a bug worth failing on. */
export function overridesFromJson(json: unknown): RiskLimitOverrides {
  const parsed = validateLimitOverrides(json);
  if (!parsed.ok) throw new Error(`risk_limits holds invalid limits: ${parsed.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  return parsed.value;
}
