const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/**
 * Where each sent message of the current epoch lies in the log: seq → (offset, length), in chunks
 * of 4,096 numbers held in typed arrays (12 bytes a number), so a store of a million messages
 * takes ~12 MB whatever the messages' size, and a sparse or huge sequence number costs one chunk.
 */
export class MessageIndex {
  private readonly chunks = new Map<number, { offsets: Float64Array; lengths: Uint32Array }>();

  set(seqNum: number, offset: number, length: number): void {
    const key = seqNum >>> CHUNK_BITS;
    let chunk = this.chunks.get(key);
    if (!chunk) {
      chunk = { offsets: new Float64Array(CHUNK).fill(-1), lengths: new Uint32Array(CHUNK) };
      this.chunks.set(key, chunk);
    }
    chunk.offsets[seqNum & (CHUNK - 1)] = offset;
    chunk.lengths[seqNum & (CHUNK - 1)] = length;
  }

  /** Calls `found` for each stored number in [begin, end], in order; skips empty chunks whole. */
  forEach(begin: number, end: number, found: (seqNum: number, offset: number, length: number) => void): void {
    for (let seq = Math.max(begin, 0); seq <= end;) {
      const chunk = this.chunks.get(seq >>> CHUNK_BITS);
      const chunkEnd = Math.min(end, ((seq >>> CHUNK_BITS) + 1) * CHUNK - 1);
      if (chunk) {
        for (; seq <= chunkEnd; seq++) {
          const offset = chunk.offsets[seq & (CHUNK - 1)]!;
          if (offset >= 0) found(seq, offset, chunk.lengths[seq & (CHUNK - 1)]!);
        }
      }
      seq = chunkEnd + 1;
    }
  }

  /** Moves every offset by `delta` (after the log was rewritten from a later start). */
  shift(delta: number): void {
    for (const chunk of this.chunks.values()) {
      const { offsets } = chunk;
      for (let i = 0; i < CHUNK; i++) {
        const offset = offsets[i]!;
        if (offset >= 0) offsets[i] = offset + delta;
      }
    }
  }

  clear(): void {
    this.chunks.clear();
  }
}
