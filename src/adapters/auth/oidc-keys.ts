import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { IssuerUnavailableError } from './jose-verifier.js';

const TIMEOUT_MS = 5_000;

/**
 * The issuer's signing keys, fetched from its JWKS and cached by jose (refetched when a token names
 * an unknown key, at most every 30 s: key rotation needs no restart). Without an explicit JWKS URL
 * the URL comes from the issuer's OpenID discovery document, read on first use so that a service
 * can start before its identity provider.
 */
export function issuerKeys(options: { issuerUrl: string; jwksUrl?: string | undefined }): JWTVerifyGetKey {
  const remote = (url: string) => createRemoteJWKSet(new URL(url), { timeoutDuration: TIMEOUT_MS });
  if (options.jwksUrl) return remote(options.jwksUrl);
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    if (!keys) {
      const pending = discoverJwksUrl(options.issuerUrl).then(remote);
      // A failed discovery is retried by the next request rather than remembered.
      pending.catch(() => keys === pending && (keys = undefined));
      keys = pending;
    }
    return (await keys)(header, token);
  };
}

async function discoverJwksUrl(issuerUrl: string): Promise<string> {
  const url = `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new IssuerUnavailableError(`OpenID discovery at ${url} failed`, { cause: error });
  }
  const jwksUri = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).jwks_uri : undefined;
  if (typeof jwksUri !== 'string') throw new IssuerUnavailableError(`OpenID discovery at ${url} names no jwks_uri`);
  return jwksUri;
}
