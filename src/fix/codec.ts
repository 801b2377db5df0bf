import { FixMessage, type Field } from './message.js';
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
 * the byte sum modulo 256, three digits. FIX values are ASCII.
 */
export function encodeMessage(header: HeaderValues, body: readonly Field[]): Buffer {
  let text = header.routing?.length ? `35=${header.msgType}${SOH}${fieldsText(headerFields(header))}` : headerText(header);
  for (const [tag, value] of body) text += `${tag}=${value}${SOH}`;
  const framed = `8=${BEGIN_STRING}${SOH}9=${text.length}${SOH}${text}`;
  // Written once into its buffer; the checksum is summed over those bytes and appended in place.
  const bytes = Buffer.allocUnsafe(framed.length + 7);
  bytes.write(framed, 0, 'latin1');
  let sum = 0;
  for (let i = 0; i < framed.length; i++) sum += bytes[i]!;
  sum &= 255;
  let at = framed.length;
  bytes[at++] = 49; // '1'
  bytes[at++] = 48; // '0'
  bytes[at++] = EQUALS;
  bytes[at++] = 48 + Math.floor(sum / 100);
  bytes[at++] = 48 + (Math.floor(sum / 10) % 10);
  bytes[at++] = 48 + (sum % 10);
  bytes[at] = SOH_BYTE;
  return bytes;
}

/** The usual header, written straight in QuickFIX's order. */
function headerText(header: HeaderValues): string {
  let text = `35=${header.msgType}${SOH}34=${header.seqNum}${SOH}`;
  if (header.possDup) text += `43=Y${SOH}`;
  text += `49=${header.senderCompId}${SOH}52=${header.sendingTime}${SOH}56=${header.targetCompId}${SOH}`;
  if (header.possResend) text += `97=Y${SOH}`;
  if (header.origSendingTime) text += `122=${header.origSendingTime}${SOH}`;
  return text;
}

/** A header with routing fields: every header tag after 35, in ascending order. */
function headerFields(header: HeaderValues): Field[] {
  const fields: Field[] = [[34, String(header.seqNum)], [49, header.senderCompId], [52, header.sendingTime], [56, header.targetCompId], ...(header.routing ?? [])];
  if (header.possDup) fields.push([43, 'Y']);
  if (header.possResend) fields.push([97, 'Y']);
  if (header.origSendingTime) fields.push([122, header.origSendingTime]);
  return fields.sort(([a], [b]) => a - b);
}

const fieldsText = (fields: readonly Field[]): string => fields.map(([tag, value]) => `${tag}=${value}${SOH}`).join('');

export function checksumOf(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return String(sum % 256).padStart(3, '0');
}

/**
 * Parses one complete frame into fields, in wire order. Values keep their bytes (latin1). One
 * string conversion for the whole frame: per-field Buffer conversions cost several times more.
 */
export function decodeMessage(frame: Buffer): FixMessage {
  const text = frame.toString('latin1');
  const length = text.length;
  const tags: number[] = [];
  const bounds: number[] = [];
  let start = 0;
  while (start < length) {
    // One pass over the tag's digits; anything else in a tag falls back to tagNumber.
    let tag = 0;
    let equals = start;
    let code = text.charCodeAt(equals);
    while (code >= 48 && code <= 57) {
      tag = tag * 10 + code - 48;
      code = text.charCodeAt(++equals);
    }
    if (code !== EQUALS) {
      equals = text.indexOf('=', start);
      if (equals < 0) break;
      tag = tagNumber(text, start, equals);
    } else if (equals === start) {
      tag = NaN;
    }
    let end = text.indexOf(SOH, equals + 1);
    if (end < 0) end = length;
    tags.push(tag);
    bounds.push(equals + 1, end);
    start = end + 1;
  }
  return FixMessage.fromWire(text, tags, bounds);
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

/**
 * Cuts a TCP byte stream into frames. A frame whose BodyLength or CheckSum is wrong is reported as
 * garbled (the session drops it without consuming a sequence number) and the decoder resynchronises
 * on the next "8=FIX.4.4".
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  /** Where unread bytes start: advancing an offset costs nothing, re-slicing the buffer allocates. */
  private at = 0;

  push(chunk: Buffer): Frame[] {
    this.buffer = this.at >= this.buffer.length ? chunk : Buffer.concat([this.buffer.subarray(this.at), chunk]);
    this.at = 0;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private next(): Frame | undefined {
    const b = this.buffer;
    const start = b.indexOf(BEGIN, this.at);
    if (start < 0) {
      // Keep a tail that could be the start of a header split across chunks.
      this.at = Math.max(this.at, b.length - BEGIN.length);
      return undefined;
    }
    this.at = start;
    const beginEnd = b.indexOf(SOH_BYTE, start);
    if (beginEnd < 0) return b.length - start > 32 ? this.skip('BeginString is not terminated') : undefined;
    if (b.length < beginEnd + BODY_LENGTH.length) return undefined;
    if (b[beginEnd + 1] !== 57 || b[beginEnd + 2] !== EQUALS) return this.skip('BodyLength (9) does not follow BeginString');
    const lengthStart = beginEnd + BODY_LENGTH.length;
    const lengthEnd = b.indexOf(SOH_BYTE, lengthStart);
    if (lengthEnd < 0) return b.length > lengthStart + 10 ? this.skip('BodyLength is not a number') : undefined;
    const bodyLength = digitsValue(b, lengthStart, lengthEnd);
    if (bodyLength === undefined || bodyLength > MAX_BODY_LENGTH) return this.skip(`BodyLength ${JSON.stringify(b.toString('latin1', lengthStart, lengthEnd))} is not valid`);
    const bodyEnd = lengthEnd + 1 + bodyLength;
    const trailerEnd = bodyEnd + 7; // "10=NNN" + SOH
    if (b.length < trailerEnd) return undefined;
    const trailerOk = b[bodyEnd] === 49 && b[bodyEnd + 1] === 48 && b[bodyEnd + 2] === EQUALS && isDigit(b[bodyEnd + 3]) && isDigit(b[bodyEnd + 4]) && isDigit(b[bodyEnd + 5]) && b[bodyEnd + 6] === SOH_BYTE;
    if (!trailerOk) return this.misframed(start, bodyEnd);
    const bytes = b.subarray(start, trailerEnd);
    this.at = trailerEnd;
    let sum = 0;
    for (let i = start; i < bodyEnd; i++) sum += b[i]!;
    const stated = (b[bodyEnd + 3]! - 48) * 100 + (b[bodyEnd + 4]! - 48) * 10 + (b[bodyEnd + 5]! - 48);
    if ((sum & 255) !== stated) return { kind: 'garbled', reason: 'CheckSum is wrong', bytes };
    return { kind: 'message', bytes };
  }

  /**
   * BodyLength does not end at the CheckSum: as QuickFIX, the frame runs to the next CheckSum field
   * after the stated length, and all of it is dropped as garbled (a too-long length swallows the
   * message after it). Without a CheckSum within reach the start alone is dropped.
   */
  private misframed(start: number, bodyEnd: number): Frame | undefined {
    const b = this.buffer;
    const checksum = b.indexOf(CHECKSUM_FIELD, bodyEnd - 1);
    const end = checksum < 0 ? -1 : b.indexOf(SOH_BYTE, checksum + CHECKSUM_FIELD.length);
    if (end < 0) return b.length - start > MAX_BODY_LENGTH + 64 ? this.skip('BodyLength does not end at the CheckSum field') : undefined;
    this.at = end + 1;
    return { kind: 'garbled', reason: 'BodyLength does not end at the CheckSum field', bytes: b.subarray(start, end + 1) };
  }

  /** Drops the bad start and looks for the next one. */
  private skip(reason: string): Frame {
    const bytes = this.buffer.subarray(this.at, this.at + 1);
    this.at += 1;
    return { kind: 'garbled', reason, bytes };
  }
}

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
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
}

export function parseFixTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export { Tag };
