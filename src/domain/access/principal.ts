/** Who is calling: the verified subject of a bearer token, its OMS roles and the accounts it may use. */

export const ROLES = ['trader', 'risk-officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** In `accounts`, every account (normally only risk officers and viewers get it). */
export const ALL_ACCOUNTS = '*';

export interface Principal {
  /** The token's `sub`. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Entitled account ids, or ALL_ACCOUNTS. */
  readonly accounts: readonly string[];
  /** The OAuth client the token was issued to (`azp`), when the issuer says. */
  readonly clientId?: string;
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** An account-less question (a global kill switch, every account's stream) needs ALL_ACCOUNTS. */
export function isEntitled(principal: Principal, accountId: string | undefined): boolean {
  if (principal.accounts.includes(ALL_ACCOUNTS)) return true;
  return accountId !== undefined && principal.accounts.includes(accountId);
}
