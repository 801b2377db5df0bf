import type { KillSwitch, KillSwitchScope } from '../../../domain/risk/kill-switch.js';
import { limitsToJson, type RiskLimitOverrides } from '../../../domain/risk/limits.js';
import type { SqlClient, SqlExecutor } from '../../../ports/sql.js';
import type { ControlChange, RiskAuditEntry, RiskControlStore, StoredLimits } from '../../../ports/risk-store.js';
import { killSwitchFromRow, overridesFromJson, scopeColumns, scopeFromColumns, type KillSwitchRow } from './risk-rows.js';

interface LimitsRow {
  account_id: string;
  limits: unknown;
  updated_by: string;
  updated_at: Date | string;
}

const limitsFromRow = (row: LimitsRow): StoredLimits => ({
  accountId: row.account_id,
  overrides: overridesFromJson(row.limits),
  updatedBy: row.updated_by,
  updatedAt: new Date(row.updated_at),
});

const switchJson = (s: KillSwitch) => ({ reason: s.reason, engagedBy: s.engagedBy, engagedAt: s.engagedAt.toISOString() });

/** Risk limits, kill switches and their audit on PGlite or PostgreSQL; each change and its audit entry commit together. */
export class SqlRiskControlStore implements RiskControlStore {
  constructor(private readonly db: SqlClient) {}

  async limits(accountId: string): Promise<StoredLimits | null> {
    const [row] = await this.db.query<LimitsRow>('SELECT account_id, limits, updated_by, updated_at FROM risk_limits WHERE account_id = $1', [accountId]);
    return row ? limitsFromRow(row) : null;
  }

  async allLimits(): Promise<StoredLimits[]> {
    return (await this.db.query<LimitsRow>('SELECT account_id, limits, updated_by, updated_at FROM risk_limits ORDER BY account_id')).map(limitsFromRow);
  }

  setLimits(accountId: string, overrides: RiskLimitOverrides, change: ControlChange): Promise<StoredLimits> {
    return this.db.transaction(async (tx) => {
      const before = await lockedLimits(tx, accountId);
      const after = limitsToJson(overrides);
      await tx.query(
        `INSERT INTO risk_limits (account_id, limits, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, $4)
         ON CONFLICT (account_id) DO UPDATE SET limits = EXCLUDED.limits, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
        [accountId, JSON.stringify(after), change.actor, change.at.toISOString()],
      );
      await audit(tx, 'LIMITS_SET', { scope: 'ACCOUNT', accountId }, change, { before: before ? limitsToJson(before.overrides) : null, after });
      return { accountId, overrides, updatedBy: change.actor, updatedAt: change.at };
    });
  }

  clearLimits(accountId: string, change: ControlChange): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const before = await lockedLimits(tx, accountId);
      if (!before) return false;
      await tx.query('DELETE FROM risk_limits WHERE account_id = $1', [accountId]);
      await audit(tx, 'LIMITS_CLEARED', { scope: 'ACCOUNT', accountId }, change, { before: limitsToJson(before.overrides), after: null });
      return true;
    });
  }

  engage(target: KillSwitchScope, reason: string, change: ControlChange): Promise<{ killSwitch: KillSwitch; engagedNow: boolean }> {
    return this.db.transaction(async (tx) => {
      const [scope, accountId] = scopeColumns(target);
      const [inserted] = await tx.query<KillSwitchRow>(
        `INSERT INTO kill_switches (scope, account_id, reason, engaged_by, engaged_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (scope, account_id) DO NOTHING RETURNING scope, account_id, reason, engaged_by, engaged_at`,
        [scope, accountId, reason, change.actor, change.at.toISOString()],
      );
      if (inserted) {
        const killSwitch = killSwitchFromRow(inserted);
        await audit(tx, 'KILL_SWITCH_ENGAGED', target, change, switchJson(killSwitch));
        return { killSwitch, engagedNow: true };
      }
      const [existing] = await tx.query<KillSwitchRow>(
        'SELECT scope, account_id, reason, engaged_by, engaged_at FROM kill_switches WHERE scope = $1 AND account_id = $2',
        [scope, accountId],
      );
      return { killSwitch: killSwitchFromRow(existing!), engagedNow: false };
    });
  }

  release(target: KillSwitchScope, reason: string | null, change: ControlChange): Promise<KillSwitch | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<KillSwitchRow>(
        'DELETE FROM kill_switches WHERE scope = $1 AND account_id = $2 RETURNING scope, account_id, reason, engaged_by, engaged_at',
        scopeColumns(target),
      );
      if (!row) return null;
      const released = killSwitchFromRow(row);
      await audit(tx, 'KILL_SWITCH_RELEASED', target, change, { reason, released: switchJson(released) });
      return released;
    });
  }

  async killSwitches(): Promise<KillSwitch[]> {
    return (
      await this.db.query<KillSwitchRow>('SELECT scope, account_id, reason, engaged_by, engaged_at FROM kill_switches ORDER BY scope DESC, account_id')
    ).map(killSwitchFromRow);
  }

  async auditTrail(limit: number): Promise<RiskAuditEntry[]> {
    const rows = await this.db.query<{
      id: number | string;
      action: RiskAuditEntry['action'];
      scope: string;
      account_id: string | null;
      actor: string;
      detail: Record<string, unknown>;
      occurred_at: Date | string;
    }>('SELECT id, action, scope, account_id, actor, detail, occurred_at FROM risk_audit ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map((r) => ({
      id: Number(r.id),
      action: r.action,
      target: scopeFromColumns(r.scope, r.account_id),
      actor: r.actor,
      detail: r.detail,
      occurredAt: new Date(r.occurred_at),
    }));
  }
}

/** The account's row, locked: two concurrent changes audit each other's "before" correctly. */
async function lockedLimits(tx: SqlExecutor, accountId: string): Promise<StoredLimits | null> {
  const [row] = await tx.query<LimitsRow>('SELECT account_id, limits, updated_by, updated_at FROM risk_limits WHERE account_id = $1 FOR UPDATE', [accountId]);
  return row ? limitsFromRow(row) : null;
}

async function audit(
  tx: SqlExecutor,
  action: RiskAuditEntry['action'],
  target: KillSwitchScope,
  change: ControlChange,
  detail: Readonly<Record<string, unknown>>,
): Promise<void> {
  await tx.query('INSERT INTO risk_audit (action, scope, account_id, actor, detail, occurred_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)', [
    action,
    target.scope,
    target.scope === 'ACCOUNT' ? target.accountId : null,
    change.actor,
    JSON.stringify(detail),
    change.at.toISOString(),
  ]);
}
