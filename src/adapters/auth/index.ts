import type { AuthSettings } from '../../config/config.js';
import type { RequestAuthenticator } from '../../ports/authenticator.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { DEV_PRINCIPAL, DevTokenIssuer } from './dev-issuer.js';
import { JoseTokenVerifier } from './jose-verifier.js';
import { issuerKeys } from './oidc-keys.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface AccessControl {
  readonly settings: AuthSettings;
  readonly authenticator: RequestAuthenticator;
  /** Dev mode only: issues the tokens this process accepts. */
  readonly devIssuer: DevTokenIssuer | undefined;
}

/** The authenticator for the configured mode: the OIDC issuer's keys, or dev mode's own issuer and principal. */
export function createAccessControl(settings: AuthSettings): AccessControl {
  if (settings.mode === 'dev') {
    const devIssuer = new DevTokenIssuer(settings.audience);
    return { settings, devIssuer, authenticator: new BearerAuthenticator(new VerifiedTokenCache(devIssuer.verifier), DEV_PRINCIPAL) };
  }
  if (!settings.issuerUrl) throw new Error('AUTH_MODE=oidc needs OIDC_ISSUER_URL');
  const verifier = new JoseTokenVerifier({
    keys: issuerKeys({ issuerUrl: settings.issuerUrl, jwksUrl: settings.jwksUrl }),
    issuer: settings.issuerUrl,
    audience: settings.audience,
    clockToleranceSeconds: settings.clockToleranceSeconds,
  });
  return { settings, devIssuer: undefined, authenticator: new BearerAuthenticator(new VerifiedTokenCache(verifier)) };
}
