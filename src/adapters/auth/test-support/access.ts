import type { AuthSettings } from '../../../config/config.js';
import { createAccessControl, type AccessControl } from '../index.js';

const BASE: AuthSettings = {
  mode: 'dev',
  issuerUrl: undefined,
  audience: 'oms-api',
  jwksUrl: undefined,
  webClientId: '',
  clockToleranceSeconds: 5,
  rateLimitPerMinute: 0,
  insecureDevModeAcknowledged: false,
};

/** Dev mode as embedded mode runs it: no token means the development principal; its own tokens are checked. */
export const devAccess = (overrides: Partial<AuthSettings> = {}): AccessControl => createAccessControl({ ...BASE, ...overrides });

/** oidc mode against `issuerUrl` (a TestIssuer): every request needs a token. */
export const oidcAccess = (issuerUrl: string, overrides: Partial<AuthSettings> = {}): AccessControl =>
  createAccessControl({ ...BASE, mode: 'oidc', issuerUrl, ...overrides });
