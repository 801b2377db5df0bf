import { describe, expect, it } from 'vitest';
import { principalFromClaims } from './claims.js';

describe('the principal a token names', () => {
  it("reads Keycloak's realm roles and a top-level roles array, keeping only the OMS's roles", () => {
    const claims = {
      sub: 'u-1',
      azp: 'oms-api',
      realm_access: { roles: ['offline_access', 'trader', 'default-roles-oms'] },
      roles: ['viewer', 'trader', 42],
      accounts: ['ACC-1', 'ACC-2'],
    };
    expect(principalFromClaims(claims)).toEqual({ subject: 'u-1', clientId: 'oms-api', roles: ['trader', 'viewer'], accounts: ['ACC-1', 'ACC-2'] });
  });

  it('takes accounts as one string of ids (a single-valued user attribute), and none when absent', () => {
    expect(principalFromClaims({ sub: 'u-1', accounts: 'ACC-1, ACC-2 ACC-3' })).toMatchObject({ accounts: ['ACC-1', 'ACC-2', 'ACC-3'] });
    expect(principalFromClaims({ sub: 'u-1' })).toEqual({ subject: 'u-1', roles: [], accounts: [] });
    expect(principalFromClaims({ sub: 'u-1', accounts: { ACC: 1 }, realm_access: 'trader' })).toEqual({ subject: 'u-1', roles: [], accounts: [] });
  });

  it('needs a subject', () => {
    expect(principalFromClaims({ roles: ['trader'] })).toEqual({ problem: 'the token names no subject (sub)' });
    expect(principalFromClaims({ sub: '' })).toEqual({ problem: 'the token names no subject (sub)' });
  });
});
