import { ID_PATTERN, type FieldError, type Validated } from '../order/validation.js';

export const KILL_SWITCH_SCOPES = ['GLOBAL', 'ACCOUNT'] as const;
export type KillSwitchScopeName = (typeof KILL_SWITCH_SCOPES)[number];

/** What a kill switch stops: every account, or one. */
export type KillSwitchScope = { readonly scope: 'GLOBAL' } | { readonly scope: 'ACCOUNT'; readonly accountId: string };

export interface KillSwitch {
  readonly target: KillSwitchScope;
  readonly reason: string;
  readonly engagedBy: string;
  readonly engagedAt: Date;
}

export const MAX_REASON_LENGTH = 500;

/** The switch that stops this account's orders, if any: the global one first. */
export function blockingSwitch(switches: readonly KillSwitch[], accountId: string): KillSwitch | null {
  return switches.find((s) => s.target.scope === 'GLOBAL') ?? switches.find((s) => s.target.scope === 'ACCOUNT' && s.target.accountId === accountId) ?? null;
}

export function describeScope(target: KillSwitchScope): string {
  return target.scope === 'GLOBAL' ? 'global kill switch' : `kill switch of account ${target.accountId}`;
}

/** A scope from request fields ({scope, accountId}), naming each bad field. */
export function validateScope(input: { scope?: unknown; accountId?: unknown }): Validated<KillSwitchScope> {
  const errors: FieldError[] = [];
  const { scope, accountId } = input;
  if (scope !== 'GLOBAL' && scope !== 'ACCOUNT') errors.push({ field: 'scope', message: `must be one of ${KILL_SWITCH_SCOPES.join(', ')}` });
  if (scope === 'ACCOUNT' && (typeof accountId !== 'string' || !ID_PATTERN.test(accountId))) {
    errors.push({ field: 'accountId', message: 'is required for scope ACCOUNT: 1 to 64 characters of letters, digits and . _ : -' });
  }
  if (scope === 'GLOBAL' && accountId !== undefined && accountId !== null) errors.push({ field: 'accountId', message: 'must be absent for scope GLOBAL' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: scope === 'GLOBAL' ? { scope } : { scope: 'ACCOUNT', accountId: accountId as string } };
}

/** An engage request: {scope, accountId?, reason}. */
export function validateEngageRequest(input: unknown): Validated<{ target: KillSwitchScope; reason: string }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  const body = input as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => !['scope', 'accountId', 'reason'].includes(key))
    .map((field) => ({ field, message: 'is not a known field' }));
  const target = validateScope(body);
  if (!target.ok) errors.push(...target.errors);
  const { reason } = body;
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON_LENGTH) {
    errors.push({ field: 'reason', message: `is required: text of 1 to ${MAX_REASON_LENGTH} characters` });
  }
  if (errors.length > 0 || !target.ok) return { ok: false, errors };
  return { ok: true, value: { target: target.value, reason: (reason as string).trim() } };
}
