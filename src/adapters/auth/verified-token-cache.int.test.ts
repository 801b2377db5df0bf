import { describe, expect, it } from 'vitest';
import type { TokenVerifier } from '../../ports/authenticator.js';
import { DevTokenIssuer } from './dev-issuer.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** The dev issuer's real verifier, counting the signatures it checks. */
function countingVerifier(issuer: DevTokenIssuer): TokenVerifier & { calls: number } {
  const counting = { calls: 0, verify: (token: string) => (counting.calls++, issuer.verifier.verify(token)) };
  return counting;
}

describe('verified token cache', () => {
  const issuer = new DevTokenIssuer('oms-api');
  const token = (subject: string, expiresInSeconds = 60) => issuer.issue({ subject, roles: ['trader'], accounts: ['ACC-1'], expiresInSeconds });

  it('checks a token once and answers again from memory until it expires, then checks it again', async () => {
    const inner = countingVerifier(issuer);
    let now = Date.now();
    const cache = new VerifiedTokenCache(inner, { maxEntries: 10, nowMs: () => now });
    const alice = await token('alice', 60);
    for (let i = 0; i < 3; i++) expect((await cache.verify(alice)).ok).toBe(true);
    expect(inner.calls).toBe(1);
    // Past its exp by the cache's clock, the token goes back to the verifier (whose own clock decides).
    now += 61_000;
    await cache.verify(alice);
    expect(inner.calls).toBe(2);
  });

  it('never keeps a failure, and holds at most maxEntries tokens', async () => {
    const inner = countingVerifier(issuer);
    const cache = new VerifiedTokenCache(inner, { maxEntries: 2 });
    const forged = await new DevTokenIssuer('oms-api').issue({ subject: 'mallory', roles: ['trader'], accounts: ['*'], expiresInSeconds: 60 });
    await cache.verify(forged);
    await cache.verify(forged);
    expect([inner.calls, cache.size]).toEqual([2, 0]);
    const [a, b, c] = await Promise.all([token('a'), token('b'), token('c')]);
    for (const t of [a, b, c]) await cache.verify(t!);
    expect(cache.size).toBe(2);
    await cache.verify(a!);
    expect(inner.calls).toBe(6);
  });
});
