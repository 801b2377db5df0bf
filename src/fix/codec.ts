import { FixMessage, type Field, type FlatFields } from './message.js';
import { BEGIN_STRING, Tag } from './tags.js';

const SOH = '\x01';
const SOH_BYTE = 1;
const EQUALS = 61;

export interface HeaderValues {
  readonly msgType: string;
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly seqNum: number;
  readonly sendingTime: string;
  readonly possDup?: boolean;
  readonly possResend?: boolean;
  readonly origSendingTime?: string;
  /** Routing header fields (OnBehalfOf/DeliverTo, Sub/Location IDs), placed among the header tags by number. */
  readonly routing?: readonly Field[];
}

/**
 * Encodes a message: 8, 9, 35 first, then the other header tags in ascending order as QuickFIX
 * writes them (34, 43, 49, 52, 56, 97, 122), the body, and 10. BodyLength is unpadded and CheckSum is
 * the byte sum modulo 256, three digits. FIX values are ASCII (a character is written as its low byte, as latin1).
 */
export function encodeMessage(header: HeaderValues, body: readonly Field[]): Buffer {
  if (header.routing?.length) return encodeFields(header.msgType, routedHeader(header), body);
  return encodeWith(
    header.msgType,
    header.seqNum,
    header.senderCompId,
    header.targetCompId,
    header.sendingTime,
    header.possDup === true,
    header.possResend === true,
    header.origSendingTime,
    body,
  );
}

/**
 * The usual header and the body written straight into one Buffer of the right size: a first pass
 * adds up BodyLength, the second writes the bytes and sums the CheckSum as it goes (no strings
 * built, no copy).
 */
export function encodeWith(
  msgType: string,
  seqNum: number,
  senderCompId: string,
  targetCompId: string,
  sendingTime: string,
  possDup: boolean,
  possResend: boolean,
  origSendingTime: string | undefined,
  body: readonly Field[],
  flat?: FlatFields,
): Buffer {
  // "35=" + SOH, "34=" + SOH, "49=" + SOH, "52=" + SOH, "56=" + SOH
  let length = 20 + msgType.length + digitCount(seqNum) + senderCompId.length + sendingTime.length + targetCompId.length;
  if (possDup) length += 5;
  if (possResend) length += 5;
  if (origSendingTime) length += 5 + origSendingTime.length;
  length += flat ? flatLength(flat) : bodyLength(body);
  const out = frameFor(length);
  let at = out.length - length - 7;
  at = writeText(out, at, '35=', msgType);
  at = soh(out, writeInt(out, writeTag(out, at, 34), seqNum));
  if (possDup) at = writeText(out, at, '43=', 'Y');
  at = writeText(out, at, '49=', senderCompId);
  at = writeText(out, at, '52=', sendingTime);
  at = writeText(out, at, '56=', targetCompId);
  if (possResend) at = writeText(out, at, '97=', 'Y');
  if (origSendingTime) at = writeText(out, at, '122=', origSendingTime);
  at = flat ? writeFlat(out, at, flat) : writeBody(out, at, body);
  return withChecksum(out, at);
}

/** Any header (8 and 9 aside) given as fields in order, then the body: the rare routed messages. */
function encodeFields(msgType: string, header: readonly Field[], body: readonly Field[]): Buffer {
  const length = 4 + msgType.length + bodyLength(header) + bodyLength(body);
  const out = frameFor(length);
  let at = writeText(out, out.length - length - 7, '35=', msgType);
  at = writeBody(out, at, header);
  at = writeBody(out, at, body);
  return withChecksum(out, at);
}

/** A header with routing fields: every header tag after 35, in ascending order. */
function routedHeader(header: HeaderValues): Field[] {
  const fields: Field[] = [
    [34, String(header.seqNum)],
    [49, header.senderCompId],
    [52, header.sendingTime],
    [56, header.targetCompId],
    ...(header.routing ?? []),
  ];
  if (header.possDup) fields.push([43, 'Y']);
  if (header.possResend) fields.push([97, 'Y']);
  if (header.origSendingTime) fields.push([122, header.origSendingTime]);
  return fields.sort(([a], [b]) => a - b);
}

/** The bytes of `fields` as tag=value SOH. */
function bodyLength(fields: readonly Field[]): number {
  let length = 0;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    length += tagLength(field[0]) + field[1].length + 1;
  }
  return length;
}

function writeBody(out: Buffer, at: number, fields: readonly Field[]): number {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    at = soh(out, writeChars(out, writeTag(out, at, field[0]), field[1]));
  }
  return at;
}

function flatLength(flat: FlatFields): number {
  let length = 0;
  for (let i = 0; i < flat.length; i += 2) length += tagLength(flat[i] as number) + (flat[i + 1] as string).length + 1;
  return length;
}

function writeFlat(out: Buffer, at: number, flat: FlatFields): number {
  for (let i = 0; i < flat.length; i += 2) at = soh(out, writeChars(out, writeTag(out, at, flat[i] as number), flat[i + 1] as string));
  return at;
}

const PREFIX = `8=${BEGIN_STRING}${SOH}9=`;

/**
 * The sum of the bytes written so far into the frame being encoded: the writers add what they
 * write, so the CheckSum needs no second pass over the bytes.
 */
let checksum = 0;

/** The frame's buffer with "8=FIX.4.4 SOH 9=<length> SOH" written; the body goes after it, then 7 bytes of CheckSum. */
function frameFor(bodyLength: number): Buffer {
  const digits = digitCount(bodyLength);
  const out = Buffer.allocUnsafe(PREFIX.length + digits + 1 + bodyLength + 7);
  checksum = 0;
  soh(out, writeInt(out, writeChars(out, 0, PREFIX), bodyLength));
  return out;
}

/** Appends "10=NNN" SOH, the sum of every byte before `at` modulo 256. */
function withChecksum(out: Buffer, at: number): Buffer {
  const sum = checksum & 255;
  out[at++] = 49; // '1'
  out[at++] = 48; // '0'
  out[at++] = EQUALS;
  out[at++] = 48 + ((sum / 100) | 0);
  out[at++] = 48 + (((sum / 10) | 0) % 10);
  out[at++] = 48 + (sum % 10);
  out[at] = SOH_BYTE;
  return out;
}

/** Writes `prefix` (a tag and '=') and `value`, then SOH. */
function writeText(out: Buffer, at: number, prefix: string, value: string): number {
  return soh(out, writeChars(out, writeChars(out, at, prefix), value));
}

function soh(out: Buffer, at: number): number {
  out[at] = SOH_BYTE;
  checksum += SOH_BYTE;
  return at + 1;
}

/** Each character's low byte, as Buffer.write(..., 'latin1'); a JS loop beats a native call for short values. */
function writeChars(out: Buffer, at: number, text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const byte = text.charCodeAt(i) & 255;
    out[at++] = byte;
    sum += byte;
  }
  checksum += sum;
  return at;
}

/** A tag and '='. A tag is a positive integer; anything else is written as String() would. */
function writeTag(out: Buffer, at: number, tag: number): number {
  at = Number.isInteger(tag) && tag >= 0 ? writeInt(out, at, tag) : writeChars(out, at, String(tag));
  out[at] = EQUALS;
  checksum += EQUALS;
  return at + 1;
}

function tagLength(tag: number): number {
  return (Number.isInteger(tag) && tag >= 0 ? digitCount(tag) : String(tag).length) + 1;
}

/** A non-negative integer's decimal digits. */
function writeInt(out: Buffer, at: number, value: number): number {
  if (!(value >= 0 && value < 1e15 && Number.isInteger(value))) return writeChars(out, at, String(value));
  const end = at + digitCount(value);
  let rest = value;
  let sum = 0;
  for (let i = end - 1; i >= at; i--) {
    const byte = 48 + (rest % 10);
    out[i] = byte;
    sum += byte;
    rest = Math.floor(rest / 10);
  }
  checksum += sum;
  return end;
}

function digitCount(value: number): number {
  if (!(value >= 0 && value < 1e15 && Number.isInteger(value))) return String(value).length;
  let digits = 1;
  while (value >= 10) {
    value = Math.floor(value / 10);
    digits++;
  }
  return digits;
}

export function checksumOf(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return String(sum % 256).padStart(3, '0');
}

/** Field bounds of the message being decoded; copied out once per message, so decoding grows no array. */
const scratch: number[] = [];

/**
 * Parses one complete frame (bytes [start, end) of `frame`) into fields, in wire order. One string
 * conversion for the whole frame, and per field its tag and the value's bounds in that string:
 * values are cut out only when asked for (most fields of a message are never read).
 */
export function decodeMessage(frame: Buffer, start = 0, end = frame.length): FixMessage {
  const text = frame.toString('latin1', start, end);
  let count = 0;
  let at = start;
  while (at < end) {
    // One pass over the tag's digits; anything else in a tag falls back to tagNumber.
    let tag = 0;
    let equals = at;
    let code = frame[equals]!;
    while (code >= 48 && code <= 57 && equals < end) {
      tag = tag * 10 + code - 48;
      code = frame[++equals]!;
    }
    if (code !== EQUALS || equals >= end) {
      equals = frame.indexOf(EQUALS, at);
      if (equals < 0 || equals >= end) break;
      tag = tagNumber(text, at - start, equals - start);
    } else if (equals === at) {
      tag = NaN;
    }
    let valueEnd = equals + 1;
    while (valueEnd < end && frame[valueEnd] !== SOH_BYTE) valueEnd++;
    scratch[count++] = tag;
    scratch[count++] = equals + 1 - start;
    scratch[count++] = valueEnd - start;
    at = valueEnd + 1;
  }
  return FixMessage.fromWire(text, scratch.slice(0, count));
}

/** The tag between start and end as a number; NaN for anything but digits (or a leading minus). */
function tagNumber(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(text.slice(start, end));
    value = value * 10 + digit;
  }
  return end > start ? value : NaN;
}

export type Frame = { readonly kind: 'message'; readonly bytes: Buffer } | { readonly kind: 'garbled'; readonly reason: string; readonly bytes: Buffer };

/** Any FIX BeginString is framed; the session refuses one that is not FIX.4.4. */
const BEGIN = Buffer.from('8=FIX', 'latin1');
const BODY_LENGTH = Buffer.from(`${SOH}9=`, 'latin1');
const CHECKSUM_FIELD = Buffer.from(`${SOH}10=`, 'latin1');
/** Larger frames are refused as garbled: nothing legitimate in this OMS comes close. */
export const MAX_BODY_LENGTH = 64 * 1024;

/** Where a FrameDecoder hands its frames: a good one as bounds in the buffer (no copy, no object), a garbled one with its bytes. */
export interface FrameSink {
  onFrameBytes(buffer: Buffer, start: number, end: number): void;
  onGarbled(reason: string, bytes: Buffer): void;
}

/**
 * Cuts a TCP byte stream into frames. A frame whose BodyLength or CheckSum is wrong is reported as
 * garbled (the session drops it without consuming a sequence number) and the decoder resynchronises
 * on the next "8=FIX.4.4".
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  /** Where unread bytes start: advancing an offset costs nothing, re-slicing the buffer allocates. */
  private at = 0;
  /** The last frame found by next(): its bounds, or (garbled) its reason and bytes. */
  private frameStart = 0;
  private frameEnd = 0;
  private garbled: { reason: string; bytes: Buffer } | undefined;

  /** The frames completed by `chunk`, as objects (tests, a connection's first bytes). */
  push(chunk: Buffer): Frame[] {
    const collector = new FrameCollector();
    this.feed(chunk, collector);
    return collector.frames;
  }

  /** Hands the frames completed by `chunk` to `sink`, in order. Bytes are concatenated only when a frame spans chunks. */
  feed(chunk: Buffer, sink: FrameSink): void {
    this.buffer = this.at >= this.buffer.length ? chunk : Buffer.concat([this.buffer.subarray(this.at), chunk]);
    this.at = 0;
    for (;;) {
      const found = this.next();
      if (found === NONE) break;
      if (found === MESSAGE) {
        sink.onFrameBytes(this.buffer, this.frameStart, this.frameEnd);
      } else {
        const { reason, bytes } = this.garbled!;
        this.garbled = undefined;
        sink.onGarbled(reason, bytes);
      }
    }
  }

  private next(): number {
    const b = this.buffer;
    // The usual case, a frame starting right here, without a search.
    const start =
      b[this.at] === 56 && b[this.at + 1] === EQUALS && b[this.at + 2] === 70 && b[this.at + 3] === 73 && b[this.at + 4] === 88
        ? this.at
        : b.indexOf(BEGIN, this.at);
    if (start < 0) {
      // Keep a tail that could be the start of a header split across chunks.
      this.at = Math.max(this.at, b.length - BEGIN.length);
      return NONE;
    }
    this.at = start;
    const beginEnd = b.indexOf(SOH_BYTE, start);
    if (beginEnd < 0) return b.length - start > 32 ? this.skip('BeginString is not terminated') : NONE;
    if (b.length < beginEnd + BODY_LENGTH.length) return NONE;
    if (b[beginEnd + 1] !== 57 || b[beginEnd + 2] !== EQUALS) return this.skip('BodyLength (9) does not follow BeginString');
    const lengthStart = beginEnd + BODY_LENGTH.length;
    const lengthEnd = b.indexOf(SOH_BYTE, lengthStart);
    if (lengthEnd < 0) return b.length > lengthStart + 10 ? this.skip('BodyLength is not a number') : NONE;
    const bodyLength = digitsValue(b, lengthStart, lengthEnd);
    if (bodyLength === undefined || bodyLength > MAX_BODY_LENGTH)
      return this.skip(`BodyLength ${JSON.stringify(b.toString('latin1', lengthStart, lengthEnd))} is not valid`);
    const bodyEnd = lengthEnd + 1 + bodyLength;
    const trailerEnd = bodyEnd + 7; // "10=NNN" + SOH
    if (b.length < trailerEnd) return NONE;
    const trailerOk =
      b[bodyEnd] === 49 &&
      b[bodyEnd + 1] === 48 &&
      b[bodyEnd + 2] === EQUALS &&
      isDigit(b[bodyEnd + 3]) &&
      isDigit(b[bodyEnd + 4]) &&
      isDigit(b[bodyEnd + 5]) &&
      b[bodyEnd + 6] === SOH_BYTE;
    if (!trailerOk) return this.misframed(start, bodyEnd);
    this.at = trailerEnd;
    let sum = 0;
    for (let i = start; i < bodyEnd; i++) sum += b[i]!;
    const stated = (b[bodyEnd + 3]! - 48) * 100 + (b[bodyEnd + 4]! - 48) * 10 + (b[bodyEnd + 5]! - 48);
    if ((sum & 255) !== stated) return this.reportGarbled('CheckSum is wrong', b.subarray(start, trailerEnd));
    this.frameStart = start;
    this.frameEnd = trailerEnd;
    return MESSAGE;
  }

  /**
   * BodyLength does not end at the CheckSum: as QuickFIX, the frame runs to the next CheckSum field
   * after the stated length, and all of it is dropped as garbled (a too-long length swallows the
   * message after it). Without a CheckSum within reach the start alone is dropped.
   */
  private misframed(start: number, bodyEnd: number): number {
    const b = this.buffer;
    const checksum = b.indexOf(CHECKSUM_FIELD, bodyEnd - 1);
    const end = checksum < 0 ? -1 : b.indexOf(SOH_BYTE, checksum + CHECKSUM_FIELD.length);
    if (end < 0) return b.length - start > MAX_BODY_LENGTH + 64 ? this.skip('BodyLength does not end at the CheckSum field') : NONE;
    this.at = end + 1;
    return this.reportGarbled('BodyLength does not end at the CheckSum field', b.subarray(start, end + 1));
  }

  /** Drops the bad start and looks for the next one. */
  private skip(reason: string): number {
    const bytes = this.buffer.subarray(this.at, this.at + 1);
    this.at += 1;
    return this.reportGarbled(reason, bytes);
  }

  private reportGarbled(reason: string, bytes: Buffer): number {
    this.garbled = { reason, bytes };
    return GARBLED;
  }
}

class FrameCollector implements FrameSink {
  readonly frames: Frame[] = [];

  onFrameBytes(buffer: Buffer, start: number, end: number): void {
    this.frames.push({ kind: 'message', bytes: buffer.subarray(start, end) });
  }

  onGarbled(reason: string, bytes: Buffer): void {
    this.frames.push({ kind: 'garbled', reason, bytes });
  }
}

const NONE = 0;
const MESSAGE = 1;
const GARBLED = 2;

const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 48 && byte <= 57;

/** The value of 1 to 6 ASCII digits in bytes [start, end); undefined for anything else. */
function digitsValue(bytes: Buffer, start: number, end: number): number | undefined {
  if (end <= start || end - start > 6) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte < 48 || byte > 57) return undefined;
    value = value * 10 + byte - 48;
  }
  return value;
}

/** FIX UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss */
export function fixTimestamp(date: Date): string {
  return fixTimestampOf(date.getTime());
}

/**
 * fixTimestamp of epoch milliseconds. The text is kept for the last millisecond (a turn sends many
 * messages in the same one) and its "YYYYMMDD-HH:MM:SS." for the last second.
 */
export function fixTimestampOf(ms: number): string {
  if (ms === lastMs) return lastText;
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    // Throws for an invalid date, as before.
    const iso = new Date(second * 1000).toISOString();
    lastSecondText = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 20)}`;
    lastSecond = second;
  }
  lastText = lastSecondText + MILLIS[ms - second * 1000]!;
  lastMs = ms;
  return lastText;
}

const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let lastMs = NaN;
let lastText = '';
let lastSecond = NaN;
let lastSecondText = '';

/** YYYYMMDD-HH:MM:SS with an optional fraction of 1 to 9 digits (milliseconds kept), read without a regex. */
export function parseFixTimestamp(text: string): Date | undefined {
  const ms = parseFixTimestampMs(text);
  return ms === undefined ? undefined : new Date(ms);
}

/** parseFixTimestamp as epoch milliseconds. Ranges as Date's ISO parser: month 1-12, day 1-31, 24:00:00 only, minutes and seconds 0-59. */
export function parseFixTimestampMs(text: string): number | undefined {
  const length = text.length;
  if (length !== 17 && (length < 19 || length > 27 || text.charCodeAt(17) !== 46)) return undefined;
  if (text.charCodeAt(8) !== 45 || text.charCodeAt(11) !== 58 || text.charCodeAt(14) !== 58) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 4, 2);
  const day = digitsAt(text, 6, 2);
  const hour = digitsAt(text, 9, 2);
  const minute = digitsAt(text, 12, 2);
  const second = digitsAt(text, 15, 2);
  let millis = 0;
  for (let i = 18; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (i < 21) millis = millis * 10 + digit;
  }
  // Fewer than three fraction digits are tenths or hundredths.
  if (length === 19) millis *= 100;
  else if (length === 20) millis *= 10;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || millis !== 0))) return undefined;
  // Date.UTC reads years 0-99 as 19xx: those rare years go through the ISO parser.
  if (year < 100) {
    const date = new Date(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 17)}.${String(millis).padStart(3, '0')}Z`);
    return Number.isNaN(date.getTime()) ? undefined : date.getTime();
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** The value of `count` ASCII digits at `at`, or -1. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

export { Tag };
