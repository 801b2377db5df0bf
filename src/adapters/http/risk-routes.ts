import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../domain/order/validation.js';
import type { KillSwitch, KillSwitchScope } from '../../domain/risk/kill-switch.js';
import { limitsToJson } from '../../domain/risk/limits.js';
import type { RiskAuditEntry, StoredLimits } from '../../ports/risk-store.js';
import { CancelAllFailedError, type AccountLimits, type RiskControls } from '../../ports/risk-controls.js';
import { accountNotFound, globalRefusal, refusal, roleRefusal } from './access-guard.js';
import { apiError } from './errors.js';
import {
  accountLimitsSchema,
  allLimitsSchema,
  auditSchema,
  clearLimitsSchema,
  engageSchema,
  killSwitchesSchema,
  releaseSchema,
  setLimitsSchema,
} from './schemas/risk-schemas.js';

export interface RiskRouteOptions {
  /** Names the caller for the audit (an auth layer's principal); 'anonymous' when it returns nothing. */
  readonly actorOf?: (request: FastifyRequest) => string | undefined;
}

const MAX_AUDIT = 500;

const scopeJson = (target: KillSwitchScope) => ({ scope: target.scope, accountId: target.scope === 'ACCOUNT' ? target.accountId : null });
const killSwitchJson = (s: KillSwitch) => ({ ...scopeJson(s.target), reason: s.reason, engagedBy: s.engagedBy, engagedAt: s.engagedAt.toISOString() });
const storedJson = (s: StoredLimits) => ({
  accountId: s.accountId,
  overrides: limitsToJson(s.overrides),
  updatedBy: s.updatedBy,
  updatedAt: s.updatedAt.toISOString(),
});
const accountJson = (a: AccountLimits) => ({
  accountId: a.accountId,
  limits: limitsToJson(a.effective),
  overrides: a.stored ? limitsToJson(a.stored.overrides) : {},
  updatedBy: a.stored?.updatedBy ?? null,
  updatedAt: a.stored?.updatedAt.toISOString() ?? null,
});
const auditJson = (e: RiskAuditEntry) => ({
  id: e.id,
  action: e.action,
  ...scopeJson(e.target),
  actor: e.actor,
  detail: e.detail,
  occurredAt: e.occurredAt.toISOString(),
});

function send(reply: FastifyReply, code: 'VALIDATION_FAILED' | 'NOT_FOUND', fields: readonly FieldError[]) {
  const mapped = apiError(code, fields);
  return reply.status(mapped.status).send(mapped.body);
}

/**
 * The risk officer's API: limits per account over the defaults, kill switches (global and per
 * account), and the audit of every change. Bad input is a 400 naming each field.
 */
export function registerRiskRoutes(app: FastifyInstance, controls: RiskControls, options: RiskRouteOptions = {}): void {
  const actor = (request: FastifyRequest): string | undefined => options.actorOf?.(request);
  // Risk officers only; one account's limits or switch need entitlement to it, firm-wide ones to every account (*).
  const refused = (request: FastifyRequest, action: 'risk:limits' | 'risk:kill-switch', accountId?: unknown) =>
    typeof accountId === 'string' && accountId !== '' ? refusal(request, action, accountId, accountNotFound) : globalRefusal(request, action);
  const deny = (reply: FastifyReply, refusal: { status: number; body: unknown }) => reply.status(refusal.status).send(refusal.body);
  const scopeAccount = (input: unknown): unknown =>
    typeof input === 'object' && input !== null && (input as { scope?: unknown }).scope === 'ACCOUNT'
      ? ((input as { accountId?: unknown }).accountId ?? '')
      : undefined;

  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get('/api/v1/risk/limits', { schema: allLimitsSchema }, async (request, reply) => {
    const no = refused(request, 'risk:limits');
    if (no) return deny(reply, no);
    const { defaults, knownAccounts } = controls.policy;
    const accounts = await controls.allLimits();
    return reply.send({
      defaults: limitsToJson(defaults),
      knownAccounts: knownAccounts === 'ANY' ? 'ANY' : [...knownAccounts].sort(),
      accounts: accounts.map(storedJson),
    });
  });

  api.get('/api/v1/risk/limits/:accountId', { schema: accountLimitsSchema }, async (request, reply) => {
    const no = refused(request, 'risk:limits', request.params.accountId);
    if (no) return deny(reply, no);
    const result = await controls.limits(request.params.accountId);
    return result.ok ? reply.send(accountJson(result.value)) : send(reply, 'VALIDATION_FAILED', result.errors);
  });

  api.put('/api/v1/risk/limits/:accountId', { schema: setLimitsSchema }, async (request, reply) => {
    const no = refused(request, 'risk:limits', request.params.accountId);
    if (no) return deny(reply, no);
    const result = await controls.setLimits(request.params.accountId, request.body, actor(request));
    return result.ok ? reply.send(accountJson(result.value)) : send(reply, 'VALIDATION_FAILED', result.errors);
  });

  api.delete('/api/v1/risk/limits/:accountId', { schema: clearLimitsSchema }, async (request, reply) => {
    const { accountId } = request.params;
    const no = refused(request, 'risk:limits', accountId);
    if (no) return deny(reply, no);
    const cleared = await controls.clearLimits(accountId, actor(request));
    if (!cleared.ok) return send(reply, 'VALIDATION_FAILED', cleared.errors);
    if (!cleared.value) return send(reply, 'NOT_FOUND', [{ field: 'accountId', message: `${accountId} has no limits of its own` }]);
    return reply.send(accountJson(cleared.value));
  });

  api.get('/api/v1/risk/kill-switch', { schema: killSwitchesSchema }, async (request, reply) => {
    const no = roleRefusal(request, 'risk:kill-switch');
    if (no) return deny(reply, no);
    return reply.send({ engaged: (await controls.killSwitches()).map(killSwitchJson) });
  });

  api.post('/api/v1/risk/kill-switch', { schema: engageSchema }, async (request, reply) => {
    const no = refused(request, 'risk:kill-switch', scopeAccount(request.body));
    if (no) return deny(reply, no);
    try {
      const result = await controls.engage(request.body, actor(request));
      if (!result.ok) return send(reply, 'VALIDATION_FAILED', result.errors);
      const { killSwitch, engagedNow, canceledOrders } = result.value;
      // 201 when this call engaged it, 200 when it already was.
      return reply.status(engagedNow ? 201 : 200).send({ killSwitch: killSwitchJson(killSwitch), engagedNow, canceledOrders });
    } catch (error) {
      if (!(error instanceof CancelAllFailedError)) throw error;
      request.log.error({ err: error }, 'kill switch: cancel-all failed');
      const mapped = apiError('SERVICE_UNAVAILABLE', undefined, `${error.message}; new orders are blocked: POST again to retry the cancels`);
      return reply.status(mapped.status).send({ ...mapped.body, killSwitch: killSwitchJson(error.killSwitch) });
    }
  });

  api.delete('/api/v1/risk/kill-switch', { schema: releaseSchema }, async (request, reply) => {
    const no = refused(request, 'risk:kill-switch', scopeAccount(request.query));
    if (no) return deny(reply, no);
    const result = await controls.release(request.query, actor(request));
    if (!result.ok) return send(reply, 'VALIDATION_FAILED', result.errors);
    if (!result.value) return send(reply, 'NOT_FOUND', [{ field: 'scope', message: 'no such kill switch is engaged' }]);
    return reply.send({ released: killSwitchJson(result.value) });
  });

  api.get('/api/v1/risk/audit', { schema: auditSchema }, async (request, reply) => {
    const no = refused(request, 'risk:limits');
    if (no) return deny(reply, no);
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT)
      return send(reply, 'VALIDATION_FAILED', [{ field: 'limit', message: `must be an integer from 1 to ${MAX_AUDIT}` }]);
    return reply.send({ entries: (await controls.auditTrail(limit)).map(auditJson) });
  });
}
