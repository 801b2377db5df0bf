import { randomFillSync } from 'node:crypto';

/** Each byte's two hex digits, as character codes. */
const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).map((hex) => [hex.charCodeAt(0), hex.charCodeAt(1)] as const);
/** Where each of the 16 bytes goes in the 36-character form (8-4-4-4-12). */
const BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * Time-ordered UUIDs (RFC 9562 version 7, monotonic within a process as uuid's own v7: a 31-bit
 * counter starting at random each millisecond), written straight to their string form with random
 * bytes drawn from a pool. uuid's v7 asks the OS for 16 bytes per id through
 * crypto.getRandomValues (7% of the order flow's thread in a CPU profile; an order makes several
 * ids) and allocates a byte array and a view per id; here one draw of `poolBytes` serves
 * poolBytes / 16 ids and an id allocates only its string.
 */
export function pooledUuidV7(poolBytes = 4096): () => string {
  const pool = Buffer.allocUnsafe(poolBytes);
  let offset = poolBytes;
  let msecs = -Infinity;
  let seq = 0;
  const bytes = new Uint8Array(16);
  const text = Buffer.alloc(36, '-');
  return () => {
    if (offset + 16 > poolBytes) {
      randomFillSync(pool);
      offset = 0;
    }
    const r = offset;
    offset += 16;
    const now = Date.now();
    if (now > msecs) {
      msecs = now;
      seq = ((pool[r + 6]! & 0x7f) << 24) | (pool[r + 7]! << 16) | (pool[r + 8]! << 8) | pool[r + 9]!;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs++;
    }
    // 48 bits of milliseconds, version 7 with the counter's top 12 bits, variant 10 with its next 18, then random.
    const high = Math.floor(msecs / 0x10000);
    bytes[0] = (high >>> 24) & 0xff;
    bytes[1] = (high >>> 16) & 0xff;
    bytes[2] = (high >>> 8) & 0xff;
    bytes[3] = high & 0xff;
    bytes[4] = (msecs >>> 8) & 0xff;
    bytes[5] = msecs & 0xff;
    bytes[6] = 0x70 | ((seq >>> 28) & 0x0f);
    bytes[7] = (seq >>> 20) & 0xff;
    bytes[8] = 0x80 | ((seq >>> 14) & 0x3f);
    bytes[9] = (seq >>> 6) & 0xff;
    bytes[10] = ((seq << 2) & 0xff) | (pool[r + 10]! & 0x03);
    for (let i = 11; i < 16; i++) bytes[i] = pool[r + i]!;
    // Hex digits into one buffer, then one string: concatenating 21 pieces made as many string objects.
    for (let i = 0; i < 16; i++) {
      const [high4, low4] = HEX_DIGITS[bytes[i]!]!;
      text[BYTE_AT[i]!] = high4;
      text[BYTE_AT[i]! + 1] = low4;
    }
    return text.toString('latin1');
  };
}
