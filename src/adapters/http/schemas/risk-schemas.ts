import { Type } from 'typebox';
import { KILL_SWITCH_SCOPES } from '../../../domain/risk/kill-switch.js';
import { BODY_ERRORS, Decimal, IsoTime, Nullable, errorResponses } from './common.js';

const Limits = Type.Object(
  {
    maxOrderQuantity: Type.Optional(Type.Integer()),
    maxOrderNotional: Type.Optional(Decimal('Most notional one order may have')),
    priceCollarBps: Type.Optional(Type.Integer({ description: 'Furthest a limit price may be from the reference price' })),
    restrictedSymbols: Type.Optional(Type.Array(Type.String())),
    creditLimit: Type.Optional(Nullable(Decimal('Credit limit; null for none'))),
    maxPosition: Type.Optional(Nullable(Type.Integer())),
    duplicateWindowMs: Type.Optional(Type.Integer()),
    maxOrdersPerSecond: Type.Optional(Nullable(Type.Integer())),
  },
  { description: 'Limits; a field left out takes the default' },
);

const StoredLimits = Type.Object({ accountId: Type.String(), overrides: Limits, updatedBy: Type.String(), updatedAt: IsoTime });

const AccountLimits = Type.Object({
  accountId: Type.String(),
  limits: Limits,
  overrides: Limits,
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(IsoTime),
});

const Scope = { scope: Type.Enum(KILL_SWITCH_SCOPES), accountId: Nullable(Type.String({ description: 'The account of an ACCOUNT switch' })) };

const KillSwitch = Type.Object({ ...Scope, reason: Type.String(), engagedBy: Type.String(), engagedAt: IsoTime });

const AuditEntry = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(['LIMITS_SET', 'LIMITS_CLEARED', 'KILL_SWITCH_ENGAGED', 'KILL_SWITCH_RELEASED']),
  ...Scope,
  actor: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  occurredAt: IsoTime,
});

const AccountParams = Type.Object({ accountId: Type.String() });

const tags = ['risk'];

export const allLimitsSchema = {
  tags,
  summary: "Default limits and every account's own",
  response: {
    200: Type.Object({ defaults: Limits, knownAccounts: Type.Union([Type.Literal('ANY'), Type.Array(Type.String())]), accounts: Type.Array(StoredLimits) }),
    ...errorResponses(403),
  },
};

export const accountLimitsSchema = {
  tags,
  summary: "An account's effective limits and its own overrides",
  params: AccountParams,
  response: { 200: AccountLimits, ...errorResponses(400, 403, 404) },
};

export const setLimitsSchema = {
  tags,
  summary: "Replace an account's overrides (a field left out takes the default)",
  params: AccountParams,
  body: Type.Unsafe<unknown>(Type.Object(Limits.properties, { additionalProperties: false })),
  response: { 200: AccountLimits, ...errorResponses(...BODY_ERRORS, 403, 404) },
};

export const clearLimitsSchema = {
  tags,
  summary: "Clear an account's overrides (back to the defaults)",
  params: AccountParams,
  response: { 200: AccountLimits, ...errorResponses(400, 403, 404) },
};

export const killSwitchesSchema = {
  tags,
  summary: 'The engaged kill switches',
  response: { 200: Type.Object({ engaged: Type.Array(KillSwitch) }), ...errorResponses(403) },
};

const EngageResult = Type.Object({
  killSwitch: KillSwitch,
  engagedNow: Type.Boolean(),
  canceledOrders: Nullable(Type.Integer({ description: 'Working orders canceled; null when it was already engaged' })),
});

const { 503: _unavailable, ...engageErrors } = errorResponses(...BODY_ERRORS, 403, 404);

export const engageSchema = {
  tags,
  summary: 'Engage a kill switch: new orders in its scope are refused and working ones canceled',
  body: Type.Unsafe<unknown>(
    Type.Object({
      scope: Type.Enum(KILL_SWITCH_SCOPES),
      accountId: Type.Optional(Type.String({ description: 'Required for ACCOUNT, absent for GLOBAL' })),
      reason: Type.String({ maxLength: 500 }),
    }),
  ),
  response: {
    201: { ...EngageResult, description: 'Engaged by this call' },
    200: { ...EngageResult, description: 'Already engaged' },
    ...engageErrors,
    503: Type.Object(
      {
        error: Type.Object({ code: Type.Literal('SERVICE_UNAVAILABLE'), message: Type.String() }),
        killSwitch: Type.Optional(KillSwitch),
      },
      { description: 'The switch is engaged but the cancels failed: POST again to retry them' },
    ),
  },
};

export const releaseSchema = {
  tags,
  summary: 'Release a kill switch',
  querystring: Type.Unsafe<{ scope?: string; accountId?: string; reason?: string }>(
    Type.Object({ scope: Type.Enum(KILL_SWITCH_SCOPES), accountId: Type.Optional(Type.String()), reason: Type.Optional(Type.String({ maxLength: 500 })) }),
  ),
  response: { 200: Type.Object({ released: KillSwitch }), ...errorResponses(400, 403, 404) },
};

export const auditSchema = {
  tags,
  summary: 'Every change to limits and kill switches, newest first',
  querystring: Type.Unsafe<{ limit?: string }>(Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) })),
  response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...errorResponses(400, 403) },
};
