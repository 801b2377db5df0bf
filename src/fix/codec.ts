import { FixMessage, type Field } from './message.js';
import { BEGIN_STRING, Tag } from './tags.js';

const SOH = '\x01';
const SOH_BYTE = 1;
const EQUALS_BYTE = 61;

export interface HeaderValues {
  readonly msgType: string;
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly seqNum: number;
  readonly sendingTime: string;
  readonly possDup?: boolean;
  readonly possResend?: boolean;
  readonly origSendingTime?: string;
}

/**
 * Encodes a message: 8, 9, 35 first, then the other header tags in ascending order as QuickFIX
 * writes them (34, 43, 49, 52, 56, 97, 122), the body, and 10. BodyLength is unpadded and CheckSum is
 * the byte sum modulo 256, three digits. FIX values are ASCII.
 */
export function encodeMessage(header: HeaderValues, body: readonly Field[]): Buffer {
  let text = `35=${header.msgType}${SOH}34=${header.seqNum}${SOH}`;
  if (header.possDup) text += `43=Y${SOH}`;
  text += `49=${header.senderCompId}${SOH}52=${header.sendingTime}${SOH}56=${header.targetCompId}${SOH}`;
  if (header.possResend) text += `97=Y${SOH}`;
  if (header.origSendingTime) text += `122=${header.origSendingTime}${SOH}`;
  for (const [tag, value] of body) text += `${tag}=${value}${SOH}`;
  const framed = `8=${BEGIN_STRING}${SOH}9=${text.length}${SOH}${text}`;
  return Buffer.from(`${framed}10=${checksumOf(framed)}${SOH}`, 'latin1');
}

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
  const fields: Field[] = [];
  let start = 0;
  while (start < text.length) {
    const equals = text.indexOf('=', start);
    if (equals < 0) break;
    let end = text.indexOf(SOH, equals + 1);
    if (end < 0) end = text.length;
    fields.push([tagNumber(text, start, equals), text.slice(equals + 1, end)]);
    start = end + 1;
  }
  return new FixMessage(fields);
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
/** Larger frames are refused as garbled: nothing legitimate in this OMS comes close. */
export const MAX_BODY_LENGTH = 64 * 1024;

/**
 * Cuts a TCP byte stream into frames. A frame whose BodyLength or CheckSum is wrong is reported as
 * garbled (the session drops it without consuming a sequence number) and the decoder resynchronises
 * on the next "8=FIX.4.4".
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private next(): Frame | undefined {
    const start = this.buffer.indexOf(BEGIN);
    if (start < 0) {
      // Keep a tail that could be the start of a header split across chunks.
      if (this.buffer.length > BEGIN.length) this.buffer = this.buffer.subarray(this.buffer.length - BEGIN.length);
      return undefined;
    }
    if (start > 0) this.buffer = this.buffer.subarray(start);
    const beginEnd = this.buffer.indexOf(SOH_BYTE);
    if (beginEnd < 0) return this.buffer.length > 32 ? this.skip('BeginString is not terminated') : undefined;
    if (this.buffer.length < beginEnd + BODY_LENGTH.length) return undefined;
    if (this.buffer.indexOf(BODY_LENGTH, beginEnd) !== beginEnd) return this.skip('BodyLength (9) does not follow BeginString');
    const lengthStart = beginEnd + BODY_LENGTH.length;
    const lengthEnd = this.buffer.indexOf(SOH_BYTE, lengthStart);
    if (lengthEnd < 0) return this.buffer.length > lengthStart + 10 ? this.skip('BodyLength is not a number') : undefined;
    const lengthText = this.buffer.toString('latin1', lengthStart, lengthEnd);
    if (!/^\d{1,6}$/.test(lengthText) || Number(lengthText) > MAX_BODY_LENGTH) return this.skip(`BodyLength ${JSON.stringify(lengthText)} is not valid`);
    const bodyEnd = lengthEnd + 1 + Number(lengthText);
    const trailerEnd = bodyEnd + 7; // "10=NNN" + SOH
    if (this.buffer.length < trailerEnd) return undefined;
    const b = this.buffer;
    const trailerOk = b[bodyEnd] === 49 && b[bodyEnd + 1] === 48 && b[bodyEnd + 2] === EQUALS_BYTE && isDigit(b[bodyEnd + 3]) && isDigit(b[bodyEnd + 4]) && isDigit(b[bodyEnd + 5]) && b[bodyEnd + 6] === SOH_BYTE;
    if (!trailerOk) return this.skip('BodyLength does not end at the CheckSum field');
    const bytes = b.subarray(0, trailerEnd);
    this.buffer = b.subarray(trailerEnd);
    let sum = 0;
    for (let i = 0; i < bodyEnd; i++) sum += b[i]!;
    const stated = (b[bodyEnd + 3]! - 48) * 100 + (b[bodyEnd + 4]! - 48) * 10 + (b[bodyEnd + 5]! - 48);
    if (sum % 256 !== stated) return { kind: 'garbled', reason: 'CheckSum is wrong', bytes };
    return { kind: 'message', bytes };
  }

  /** Drops the bad start and looks for the next one. */
  private skip(reason: string): Frame {
    const bytes = this.buffer.subarray(0, 1);
    this.buffer = this.buffer.subarray(1);
    return { kind: 'garbled', reason, bytes };
  }
}

const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 48 && byte <= 57;

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
