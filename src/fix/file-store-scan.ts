import { readSync } from 'node:fs';
import type { MessageIndex } from './file-store-index.js';

const CHUNK_BYTES = 8 << 20;
/** Longer than any header line (`SEQ <sender> <target>`, `<seq> <length>`, `RESET`). */
const MAX_HEADER = 64;
const NL = 10;
const SPACE = 32;

export interface ScanResult {
  /** The last numbers recorded since the last reset, if any. */
  numbers: [number, number] | undefined;
  /** One past the last message number stored since the last reset (1 if none). */
  nextAfterStored: number;
  /** Where the current epoch begins (after the last RESET record). */
  epochStart: number;
  /** Where the last whole record ends: a torn record (crash mid-write) and anything after it are cut. */
  goodLength: number;
}

/**
 * Reads the log's records (`seq length\n bytes\n`, `SEQ sender target\n`, `RESET\n`) in large
 * chunks, parsing only the header lines and skipping the message bytes, and fills `index` with
 * where each message of the current epoch lies. Memory is one chunk, whatever the log's size.
 */
export function scanLog(fd: number, size: number, index: MessageIndex, chunkBytes = CHUNK_BYTES): ScanResult {
  const buffer = Buffer.allocUnsafe(Math.max(Math.min(chunkBytes, size), MAX_HEADER));
  let bufferStart = 0;
  let bufferEnd = 0; // absolute file positions covered by `buffer`
  const load = (at: number) => {
    bufferStart = at;
    let filled = 0;
    const want = Math.min(buffer.length, size - at);
    while (filled < want) {
      const read = readSync(fd, buffer, filled, want - filled, at + filled);
      if (read === 0) break;
      filled += read;
    }
    bufferEnd = at + filled;
  };
  const result: ScanResult = { numbers: undefined, nextAfterStored: 1, epochStart: 0, goodLength: 0 };
  let position = 0;
  while (position < size) {
    if (position + MAX_HEADER > bufferEnd && bufferEnd < size) load(position);
    else if (position < bufferStart || position >= bufferEnd) load(position);
    const kind = parseHeader(buffer, position - bufferStart, bufferEnd - bufferStart);
    if (kind === NONE) break;
    const afterHeader = position + parsed.length;
    if (kind === RESET) {
      index.clear();
      result.numbers = undefined;
      result.nextAfterStored = 1;
      result.epochStart = afterHeader;
    } else if (kind === SEQ) {
      result.numbers = [parsed.first, parsed.second];
    } else {
      const end = afterHeader + parsed.second; // where the message's closing newline must be
      if (end >= size) break;
      if (end >= bufferEnd) load(end);
      if (buffer[end - bufferStart] !== NL) break;
      index.set(parsed.first, afterHeader, parsed.second);
      result.nextAfterStored = parsed.first + 1; // the last one stored, as the session numbered it
      position = end + 1;
      result.goodLength = position;
      continue;
    }
    position = afterHeader;
    result.goodLength = position;
  }
  return result;
}

const NONE = 0;
const MESSAGE = 1;
const SEQ = 2;
const RESET = 3;
/** The last header parsed (one object for the whole scan: millions of records allocate nothing). */
const parsed = { first: 0, second: 0, length: 0 };

/** The kind of header line at `start` (fields in `parsed`; its length includes the newline), NONE if torn or not a header. */
function parseHeader(buffer: Buffer, start: number, limit: number): number {
  let at = start;
  let kind = MESSAGE;
  if (buffer[at] === 0x52 /* R */) {
    if (limit - start < 6 || buffer.toString('latin1', start, start + 6) !== 'RESET\n') return NONE;
    parsed.length = 6;
    return RESET;
  }
  if (buffer[at] === 0x53 /* S */) {
    if (buffer[at + 1] !== 0x45 || buffer[at + 2] !== 0x51 || buffer[at + 3] !== SPACE) return NONE; // 'SEQ '
    kind = SEQ;
    at += 4;
  }
  const end = Math.min(limit, start + MAX_HEADER);
  let first = 0;
  const firstStart = at;
  for (; at < end; at++) {
    const digit = buffer[at]! - 48;
    if (digit < 0 || digit > 9) break;
    first = first * 10 + digit;
  }
  if (at === firstStart || at >= end || buffer[at] !== SPACE) return NONE;
  let second = 0;
  const secondStart = ++at;
  for (; at < end; at++) {
    const digit = buffer[at]! - 48;
    if (digit < 0 || digit > 9) break;
    second = second * 10 + digit;
  }
  if (at === secondStart || at >= end || buffer[at] !== NL) return NONE;
  parsed.first = first;
  parsed.second = second;
  parsed.length = at + 1 - start;
  return kind;
}
