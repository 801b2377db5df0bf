import { ID_PATTERN, ID_RULE, type FieldError, type Validated } from '../../domain/order/validation.js';
import { validateEngageRequest, validateScope, MAX_REASON_LENGTH, type KillSwitch } from '../../domain/risk/kill-switch.js';
import { effectiveLimits, validateLimitOverrides } from '../../domain/risk/limits.js';
import type { Clock } from '../../ports/clock.js';
import type { ControlChange, RiskAuditEntry, RiskControlStore, StoredLimits } from '../../ports/risk-store.js';
import type { WorkingOrderCanceller } from '../../ports/working-order-canceller.js';
import type { Logger } from '../../ports/logger.js';
import type { RiskPolicy } from '../../domain/risk/policy.js';
import { CancelAllFailedError, type AccountLimits, type EngageResult, type RiskControls } from '../../ports/risk-controls.js';

/** Who changes a control when no auth layer names the caller. */
export const ANONYMOUS = 'anonymous';

export interface RiskControlsDeps {
  readonly store: RiskControlStore;
  readonly policy: RiskPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The order lifecycle's cancel-all; absent until the cancel flow is wired into this process. */
  readonly canceller?: WorkingOrderCanceller;
}

const invalid = (field: string, message: string): { ok: false; errors: readonly FieldError[] } => ({ ok: false, errors: [{ field, message }] });

/**
 * What a risk officer does: limits per account over the configured defaults, and kill switches.
 * Every change is stored with its audit entry (who, when, before and after). Engaging a switch
 * commits it first, so the pre-trade check refuses new orders before the cancels go out.
 */
export class RiskControlService implements RiskControls {
  constructor(private readonly deps: RiskControlsDeps) {}

  get policy(): RiskPolicy {
    return this.deps.policy;
  }

  async limits(accountId: string): Promise<Validated<AccountLimits>> {
    if (!ID_PATTERN.test(accountId)) return invalid('accountId', ID_RULE);
    const stored = await this.deps.store.limits(accountId);
    return { ok: true, value: { accountId, stored, effective: effectiveLimits(this.deps.policy.defaults, stored?.overrides) } };
  }

  allLimits(): Promise<StoredLimits[]> {
    return this.deps.store.allLimits();
  }

  /** Replaces the account's overrides with `body` (a field left out takes the default). */
  async setLimits(accountId: string, body: unknown, actor = ANONYMOUS): Promise<Validated<AccountLimits>> {
    const overrides = validateLimitOverrides(body);
    const errors = [...(ID_PATTERN.test(accountId) ? [] : [{ field: 'accountId', message: ID_RULE }]), ...(overrides.ok ? [] : overrides.errors)];
    if (errors.length > 0 || !overrides.ok) return { ok: false, errors };
    const stored = await this.deps.store.setLimits(accountId, overrides.value, this.change(actor));
    return { ok: true, value: { accountId, stored, effective: effectiveLimits(this.deps.policy.defaults, stored.overrides) } };
  }

  /** Back to the defaults; ok with null when the account had none of its own. */
  async clearLimits(accountId: string, actor = ANONYMOUS): Promise<Validated<AccountLimits | null>> {
    if (!ID_PATTERN.test(accountId)) return invalid('accountId', ID_RULE);
    const cleared = await this.deps.store.clearLimits(accountId, this.change(actor));
    return { ok: true, value: cleared ? { accountId, stored: null, effective: this.deps.policy.defaults } : null };
  }

  /**
   * Engages a switch ({scope, accountId?, reason}) and asks for every working order in its scope
   * to be canceled. Engaging an engaged switch changes nothing but asks for the cancels again.
   */
  async engage(body: unknown, actor = ANONYMOUS): Promise<Validated<EngageResult>> {
    const request = validateEngageRequest(body);
    if (!request.ok) return request;
    const { killSwitch, engagedNow } = await this.deps.store.engage(request.value.target, request.value.reason, this.change(actor));
    this.deps.logger.warn({ scope: killSwitch.target, actor, reason: killSwitch.reason, engagedNow }, 'kill switch engaged');
    const { canceller } = this.deps;
    if (!canceller) {
      this.deps.logger.error({ scope: killSwitch.target }, 'no cancel flow is wired: new orders are blocked, working orders stay at the venues');
      return { ok: true, value: { killSwitch, engagedNow, canceledOrders: null } };
    }
    try {
      return { ok: true, value: { killSwitch, engagedNow, canceledOrders: await canceller.cancelAll(killSwitch.target) } };
    } catch (error) {
      throw new CancelAllFailedError(killSwitch, error);
    }
  }

  /** Releases a switch ({scope, accountId?, reason?}); ok with null when it was not engaged. */
  async release(query: { scope?: unknown; accountId?: unknown; reason?: unknown }, actor = ANONYMOUS): Promise<Validated<KillSwitch | null>> {
    const target = validateScope(query);
    const { reason } = query;
    const badReason = reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH);
    const errors = [
      ...(target.ok ? [] : target.errors),
      ...(badReason ? [{ field: 'reason', message: `must be text of at most ${MAX_REASON_LENGTH} characters` }] : []),
    ];
    if (errors.length > 0 || !target.ok) return { ok: false, errors };
    const released = await this.deps.store.release(target.value, typeof reason === 'string' ? reason : null, this.change(actor));
    if (released) this.deps.logger.warn({ scope: released.target, actor }, 'kill switch released');
    return { ok: true, value: released };
  }

  killSwitches(): Promise<KillSwitch[]> {
    return this.deps.store.killSwitches();
  }

  auditTrail(limit: number): Promise<RiskAuditEntry[]> {
    return this.deps.store.auditTrail(limit);
  }

  private change(actor: string): ControlChange {
    return { actor, at: this.deps.clock.now() };
  }
}
