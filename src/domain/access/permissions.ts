import { isEntitled, type Principal, type Role } from './principal.js';

/** Everything the API lets a caller do; each route asks for one. */
export type Action = 'order:submit' | 'order:cancel' | 'order:read' | 'risk:limits' | 'risk:kill-switch' | 'marketdata:read';

interface Rule {
  readonly roles: readonly Role[];
  /** 'account': the action is on one account (or, without one, on all of them); 'none': on no account. */
  readonly scope: 'account' | 'none';
}

/** The one table of who may do what. Traders manage orders; risk officers set limits and pull kill switches; everyone with a role reads. */
export const RULES: Readonly<Record<Action, Rule>> = {
  'order:submit': { roles: ['trader'], scope: 'account' },
  'order:cancel': { roles: ['trader'], scope: 'account' },
  'order:read': { roles: ['trader', 'risk-officer', 'viewer'], scope: 'account' },
  'risk:limits': { roles: ['risk-officer'], scope: 'account' },
  'risk:kill-switch': { roles: ['risk-officer'], scope: 'account' },
  'marketdata:read': { roles: ['trader', 'risk-officer', 'viewer'], scope: 'none' },
};

export const ACTIONS = Object.keys(RULES) as Action[];

/**
 * Why a caller may or may not act: the API answers 'no-role' with 403 (it says nothing about any
 * account), and 'no-account' with 404 for reads (so an order's existence does not leak).
 */
export type Decision = 'allow' | 'no-role' | 'no-account';

export function decide(principal: Principal, action: Action, accountId?: string): Decision {
  const rule = RULES[action];
  if (!rule.roles.some((role) => principal.roles.includes(role))) return 'no-role';
  if (rule.scope === 'account' && !isEntitled(principal, accountId)) return 'no-account';
  return 'allow';
}

export const can = (principal: Principal, action: Action, accountId?: string): boolean => decide(principal, action, accountId) === 'allow';

/** What a caller lacking the role is told. */
export const roleRequirement = (action: Action): string => `${action} needs the role ${RULES[action].roles.join(' or ')}`;

/** The role check alone, before the account is known (for example before an order is looked up). */
export const hasRoleFor = (principal: Principal, action: Action): boolean => decide(principal, action, undefined) !== 'no-role';
