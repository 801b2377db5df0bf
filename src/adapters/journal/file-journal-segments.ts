import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import type { JournalRecord } from '../../ports/journal.js';

/**
 * On-disk format of the file journal. A segment is a file of records, each framed as
 *   u32 LE data length | u32 LE CRC32 over (seq bytes + data) | u64 LE seq | data
 * and named after its first seq, so a reader can skip whole segments by name alone.
 */
export const HEADER_BYTES = 16;
const SEGMENT_NAME = /^segment-(\d{16})\.journal$/;
const TWO_POW_32 = 0x1_0000_0000;

export interface Segment {
  readonly path: string;
  readonly firstSeq: number;
}

export function segmentFileName(firstSeq: number): string {
  return `segment-${String(firstSeq).padStart(16, '0')}.journal`;
}

/** The segments in `dir`, in seq order (other files are ignored). */
async function listSegments(dir: string): Promise<Segment[]> {
  const segments: Segment[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match?.[1] !== undefined) segments.push({ path: join(dir, name), firstSeq: Number(match[1]) });
  }
  return segments.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** zlib.crc32 arrived in Node 20.15 / 22.2; without it the journal cannot frame records at all. */
export function requireCrc32(): void {
  if (typeof zlib.crc32 !== 'function') {
    throw new Error(`FileJournal needs zlib.crc32 (Node >= 20.15 or >= 22.2); this is Node ${process.version}`);
  }
}

function recordCrc(frame: Uint8Array, seqAt: number, data: Uint8Array): number {
  return zlib.crc32(data, zlib.crc32(frame.subarray(seqAt, seqAt + 8)));
}

/** Frames `records` numbered from `firstSeq` into one buffer: one write, one copy of the data. */
export function encodeRecords(records: readonly Uint8Array[], firstSeq: number): Buffer {
  let total = 0;
  for (const data of records) total += HEADER_BYTES + data.length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  let seq = firstSeq;
  for (const data of records) {
    out.writeUInt32LE(data.length, at);
    // Two u32 halves instead of a BigInt per record: seqs are safe integers (< 2^53).
    out.writeUInt32LE(seq >>> 0, at + 8);
    out.writeUInt32LE(Math.floor(seq / TWO_POW_32), at + 12);
    out.set(data, at + HEADER_BYTES);
    out.writeUInt32LE(recordCrc(out, at + 8, data), at + 4);
    at += HEADER_BYTES + data.length;
    seq++;
  }
  return out;
}

export interface DecodedRecord extends JournalRecord {
  /** Offset just past this record in the segment. */
  readonly end: number;
}

/**
 * The valid records of one segment, in order, expecting seqs from `firstSeq` on. Stops silently
 * at the first torn, corrupt or out-of-sequence record; the caller compares the last `end` with
 * the file length to tell a clean end from a bad one. `data` is a view into `buf`, not a copy.
 */
export function* decodeRecords(buf: Buffer, firstSeq: number): Generator<DecodedRecord> {
  let at = 0;
  let expected = firstSeq;
  while (at + HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32LE(at);
    const end = at + HEADER_BYTES + length;
    if (end > buf.length) return;
    const seq = buf.readUInt32LE(at + 8) + buf.readUInt32LE(at + 12) * TWO_POW_32;
    const data = buf.subarray(at + HEADER_BYTES, end);
    if (seq !== expected || buf.readUInt32LE(at + 4) !== recordCrc(buf, at + 8, data)) return;
    yield { seq, data, end };
    at = end;
    expected++;
  }
}

export interface JournalScan {
  /** The segments in seq order. */
  readonly segments: Segment[];
  /** The seq the next record gets. */
  readonly nextSeq: number;
  /** The last segment's length up to the end of its last good record... */
  readonly goodBytes: number;
  /** ...and the length of what follows it when that is not all zeros: the torn tail of a write that a crash cut short. */
  readonly tornBytes: number;
  /** Zeros after the last good record of the last segment: room prepared for the next records (FileJournalOptions.preallocate). */
  readonly zeroBytes: number;
}

/**
 * Checks every record of every segment in `dir`; throws on damage anywhere but at the end of the
 * last segment. Zeros after a segment's last record are a clean end (no record starts with a zero
 * header: seqs start at 1), whatever the segment: it was prepared longer than it was written.
 */
export async function scanJournal(dir: string): Promise<JournalScan> {
  const segments = await listSegments(dir);
  let nextSeq = segments[0]?.firstSeq ?? 1;
  let goodBytes = 0;
  let tornBytes = 0;
  let zeroBytes = 0;
  for (const [i, segment] of segments.entries()) {
    if (segment.firstSeq !== nextSeq) {
      throw new Error(`journal corrupt: ${segment.path} starts at seq ${segment.firstSeq}, expected ${nextSeq}`);
    }
    const buf = await readFile(segment.path);
    goodBytes = 0;
    for (const record of decodeRecords(buf, segment.firstSeq)) {
      goodBytes = record.end;
      nextSeq = record.seq + 1;
    }
    const zeroTail = isZeroFrom(buf, goodBytes);
    tornBytes = zeroTail ? 0 : buf.length - goodBytes;
    zeroBytes = zeroTail ? buf.length - goodBytes : 0;
    // Only the last segment is ever written to, so a bad record anywhere else is damage, not a crash.
    if (tornBytes > 0 && i < segments.length - 1) {
      throw new Error(`journal corrupt: bad record in ${segment.path} at offset ${goodBytes}`);
    }
  }
  return { segments, nextSeq, goodBytes, tornBytes, zeroBytes };
}

/** A MiB of zeros, never written to: compared against, and written to zero a spare segment. */
export const ZEROS: Buffer = Buffer.alloc(1024 * 1024);

/** Whether every byte of `buf` from `from` on is zero (compared a MiB at a time, natively). */
function isZeroFrom(buf: Buffer, from: number): boolean {
  for (let at = from; at < buf.length; at += ZEROS.length) {
    const end = Math.min(at + ZEROS.length, buf.length);
    if (!buf.subarray(at, end).equals(ZEROS.subarray(0, end - at))) return false;
  }
  return true;
}
