import { isRole, type Principal, type Role } from '../../domain/access/principal.js';

/**
 * The caller a verified token names. Roles: Keycloak's realm roles (`realm_access.roles`) and a
 * top-level `roles` array, keeping only the OMS's own (Keycloak adds offline_access and the like).
 * Accounts: the `accounts` claim, an array, or one string of ids separated by commas or spaces
 * (a single-valued Keycloak user attribute arrives that way).
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal | { problem: string } {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') return { problem: 'the token names no subject (sub)' };
  const realmAccess = claims.realm_access;
  const realmRoles = typeof realmAccess === 'object' && realmAccess !== null ? (realmAccess as Record<string, unknown>).roles : undefined;
  const roles = unique([...strings(realmRoles), ...strings(claims.roles)].filter(isRole)) as Role[];
  const accountClaim = claims.accounts;
  const accounts = unique(typeof accountClaim === 'string' ? accountClaim.split(/[\s,]+/) : strings(accountClaim));
  const clientId = typeof claims.azp === 'string' ? claims.azp : undefined;
  return { subject, roles, accounts, ...(clientId ? { clientId } : {}) };
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const unique = (values: readonly string[]): string[] => [...new Set(values.map((v) => v.trim()).filter(Boolean))];
