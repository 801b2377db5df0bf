import { describe, expect, it } from 'vitest';
import { ACTIONS, can, decide, hasRoleFor, type Action, type Decision } from './permissions.js';
import { ALL_ACCOUNTS, isEntitled, ROLES, type Principal, type Role } from './principal.js';

const principal = (roles: Role[], accounts: string[]): Principal => ({ subject: 'u1', roles, accounts });

// For one role entitled to ACC-1 only: [ACC-1, ACC-2 (another account), no account (global)].
const EXPECTED: Record<Role, Record<Action, [Decision, Decision, Decision]>> = {
  trader: {
    'order:submit': ['allow', 'no-account', 'no-account'],
    'order:cancel': ['allow', 'no-account', 'no-account'],
    'order:read': ['allow', 'no-account', 'no-account'],
    'risk:limits': ['no-role', 'no-role', 'no-role'],
    'risk:kill-switch': ['no-role', 'no-role', 'no-role'],
    'marketdata:read': ['allow', 'allow', 'allow'],
  },
  'risk-officer': {
    'order:submit': ['no-role', 'no-role', 'no-role'],
    'order:cancel': ['no-role', 'no-role', 'no-role'],
    'order:read': ['allow', 'no-account', 'no-account'],
    'risk:limits': ['allow', 'no-account', 'no-account'],
    'risk:kill-switch': ['allow', 'no-account', 'no-account'],
    'marketdata:read': ['allow', 'allow', 'allow'],
  },
  viewer: {
    'order:submit': ['no-role', 'no-role', 'no-role'],
    'order:cancel': ['no-role', 'no-role', 'no-role'],
    'order:read': ['allow', 'no-account', 'no-account'],
    'risk:limits': ['no-role', 'no-role', 'no-role'],
    'risk:kill-switch': ['no-role', 'no-role', 'no-role'],
    'marketdata:read': ['allow', 'allow', 'allow'],
  },
};

describe('access: who may do what', () => {
  const cases = ROLES.flatMap((role) => ACTIONS.map((action) => [role, action, EXPECTED[role][action]] as const));

  it.each(cases)('%s / %s on its own account, another account, and no account', (role, action, [own, other, none]) => {
    const p = principal([role], ['ACC-1']);
    expect([decide(p, action, 'ACC-1'), decide(p, action, 'ACC-2'), decide(p, action, undefined)]).toEqual([own, other, none]);
    expect(can(p, action, 'ACC-1')).toBe(own === 'allow');
    expect(hasRoleFor(p, action)).toBe(own !== 'no-role');
  });

  it.each(cases)('%s / %s with every account (*): allowed wherever the role is', (role, action, [own]) => {
    const p = principal([role], [ALL_ACCOUNTS]);
    const expected = own === 'no-role' ? 'no-role' : 'allow';
    expect([decide(p, action, 'ACC-1'), decide(p, action, 'ANY-OTHER'), decide(p, action, undefined)]).toEqual([expected, expected, expected]);
  });

  it.each(ACTIONS)('a token without an OMS role may not %s', (action) => {
    const p = principal([], [ALL_ACCOUNTS]);
    expect(decide(p, action, 'ACC-1')).toBe('no-role');
  });

  it('roles add up: a trader who is also a risk officer trades and pulls the kill switch on its accounts', () => {
    const p = principal(['trader', 'risk-officer'], ['ACC-1', 'ACC-3']);
    expect(can(p, 'order:submit', 'ACC-3')).toBe(true);
    expect(can(p, 'risk:kill-switch', 'ACC-1')).toBe(true);
    expect(can(p, 'risk:kill-switch', undefined)).toBe(false);
    expect(can(p, 'order:cancel', 'ACC-2')).toBe(false);
  });

  it('entitlement: listed accounts, * for all, nothing without accounts; an account id is matched exactly', () => {
    expect(isEntitled(principal([], ['ACC-1']), 'ACC-1')).toBe(true);
    expect(isEntitled(principal([], ['ACC-1']), 'acc-1')).toBe(false);
    expect(isEntitled(principal([], ['ACC-1']), 'ACC-10')).toBe(false);
    expect(isEntitled(principal([], []), 'ACC-1')).toBe(false);
    expect(isEntitled(principal([], [ALL_ACCOUNTS]), undefined)).toBe(true);
    expect(isEntitled(principal([], ['ACC-1']), undefined)).toBe(false);
  });
});
