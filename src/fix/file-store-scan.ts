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
    const header = parseHeader(buffer, position - bufferStart, bufferEnd - bufferStart);
    if (!header) break;
    const afterHeader = position + header.length;
    if (header.kind === 'reset') {
      index.clear();
      result.numbers = undefined;
      result.nextAfterStored = 1;
      result.epochStart = afterHeader;
    } else if (header.kind === 'seq') {
      result.numbers = [header.first, header.second];
    } else {
      const end = afterHeader + header.second; // where the message's closing newline must be
      if (end >= size) break;
      if (end >= bufferEnd) load(end);
      if (buffer[end - bufferStart] !== NL) break;
      index.set(header.first, afterHeader, header.second);
      result.nextAfterStored = header.first + 1; // the last one stored, as the session numbered it
      position = end + 1;
      result.goodLength = position;
      continue;
    }
    position = afterHeader;
    result.goodLength = position;
  }
  return result;
}

type Header = { kind: 'reset' | 'seq' | 'message'; first: number; second: number; length: number };

/** The header line at `start` (its length includes the newline), or undefined if torn or not a header. */
function parseHeader(buffer: Buffer, start: number, limit: number): Header | undefined {
  const lineEnd = buffer.indexOf(NL, start);
  if (lineEnd < 0 || lineEnd >= limit || lineEnd - start > MAX_HEADER) return undefined;
  const length = lineEnd + 1 - start;
  if (length === 6 && buffer.toString('latin1', start, lineEnd) === 'RESET') return { kind: 'reset', first: 0, second: 0, length };
  let kind: Header['kind'] = 'message';
  let at = start;
  if (buffer[at] === 0x53 /* S */) {
    if (buffer[at + 1] !== 0x45 || buffer[at + 2] !== 0x51 || buffer[at + 3] !== SPACE) return undefined; // 'SEQ '
    kind = 'seq';
    at += 4;
  }
  const first = parseNumber(buffer, at, lineEnd);
  if (!first || buffer[first.end] !== SPACE) return undefined;
  const second = parseNumber(buffer, first.end + 1, lineEnd);
  if (!second || second.end !== lineEnd) return undefined;
  return { kind, first: first.value, second: second.value, length };
}

function parseNumber(buffer: Buffer, start: number, limit: number): { value: number; end: number } | undefined {
  let value = 0;
  let at = start;
  for (; at < limit; at++) {
    const digit = buffer[at]! - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return at === start ? undefined : { value, end: at };
}
