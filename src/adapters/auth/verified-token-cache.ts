import type { Principal } from '../../domain/access/principal.js';
import type { AuthResult, TokenVerifier } from '../../ports/authenticator.js';

/**
 * Remembers verified tokens until their `exp`. A signature check costs about 150 us (jose on
 * WebCrypto, RS256 or ES256), ten times the HTTP handling of an order, and a client sends the same
 * token for its whole lifetime. Only exact token strings hit, and only successes are kept.
 */
export class VerifiedTokenCache implements TokenVerifier {
  private readonly entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly options: { maxEntries: number; nowMs?: () => number } = { maxEntries: 10_000 },
  ) {}

  async verify(token: string): Promise<AuthResult> {
    const now = this.options.nowMs?.() ?? Date.now();
    const hit = this.entries.get(token);
    if (hit && hit.expiresAtMs > now) return { ok: true, principal: hit.principal, expiresAt: hit.expiresAtMs / 1000 };
    if (hit) this.entries.delete(token);
    const result = await this.verifier.verify(token);
    if (result.ok && result.expiresAt !== undefined) {
      // Map keeps insertion order: the first key is the oldest entry.
      if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(token, { principal: result.principal, expiresAtMs: result.expiresAt * 1000 });
    }
    return result;
  }

  get size(): number {
    return this.entries.size;
  }
}
