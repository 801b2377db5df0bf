import { Tag } from './tags.js';

export type Field = readonly [tag: number, value: string];

/**
 * A FIX message as an ordered list of fields (order matters for repeating groups), with lookup by
 * tag. The first occurrence of a tag wins on lookup. A decoded message keeps the frame's text and,
 * per field, its tag and the value's bounds in one flat array: decoding allocates no object per
 * field, and a lookup in a message of a few dozen fields is a scan of small integers, cheaper than
 * building an index.
 */
export class FixMessage {
  /** Per field: tag, value start, value end (offsets in `text`). */
  private readonly index: number[];
  private readonly text: string;
  /** The values of a message built from fields; a decoded one cuts each out of `text` when asked (no cache: few are asked twice). */
  private readonly values: readonly string[] | undefined;
  private fieldList: readonly Field[] | undefined;
  private type: string | undefined;

  constructor(fields: readonly Field[], wire?: { readonly text: string; readonly index: number[] }) {
    if (wire) {
      this.text = wire.text;
      this.index = wire.index;
    } else {
      this.text = '';
      this.index = [];
      for (const [tag] of fields) this.index.push(tag, 0, 0);
      this.values = fields.map(([, value]) => value);
      this.fieldList = fields;
    }
  }

  /** A decoded message: `index` holds each field's tag and its value's start and end offsets in `text`. */
  static fromWire(text: string, index: number[]): FixMessage {
    return new FixMessage(EMPTY, { text, index });
  }

  private valueAt(position: number): string {
    return this.values ? this.values[position]! : this.text.slice(this.index[3 * position + 1], this.index[3 * position + 2]);
  }

  /** Whether the first field with `tag` holds exactly `expected`, compared in place (no string cut out). */
  valueIs(tag: number, expected: string): boolean {
    const position = this.positionOf(tag);
    if (position < 0) return false;
    if (this.values) return this.values[position] === expected;
    const start = this.index[3 * position + 1]!;
    if (this.index[3 * position + 2]! - start !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (this.text.charCodeAt(start + i) !== expected.charCodeAt(i)) return false;
    return true;
  }

  /** The position of the first field with `tag`, or -1. */
  private positionOf(tag: number): number {
    const index = this.index;
    for (let i = 0; i < index.length; i += 3) if (index[i] === tag) return i / 3;
    return -1;
  }

  /** The fields in wire order. */
  get fields(): readonly Field[] {
    if (!this.fieldList) {
      const fields: Field[] = [];
      for (let i = 0; i < this.size; i++) fields.push([this.index[3 * i]!, this.valueAt(i)]);
      this.fieldList = fields;
    }
    return this.fieldList;
  }

  get size(): number {
    return this.index.length / 3;
  }

  /** The tag of the field at `position` in wire order. */
  tagAt(position: number): number | undefined {
    return position >= 0 && position < this.size ? this.index[3 * position] : undefined;
  }

  get(tag: number): string | undefined {
    const position = this.positionOf(tag);
    return position < 0 ? undefined : this.valueAt(position);
  }

  has(tag: number): boolean {
    return this.positionOf(tag) >= 0;
  }

  /** An integer field, or undefined when absent or not an integer (an optional minus and digits). */
  getInt(tag: number): number | undefined {
    const position = this.positionOf(tag);
    if (position < 0) return undefined;
    if (this.values) return integerOf(this.values[position]!);
    // Read from the frame's text in place: no string for the value.
    const text = this.text;
    let at = this.index[3 * position + 1]!;
    const end = this.index[3 * position + 2]!;
    const negative = text.charCodeAt(at) === 45;
    if (negative) at++;
    if (at >= end || end - at > 15) return integerOf(this.valueAt(position));
    let value = 0;
    for (; at < end; at++) {
      const digit = text.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) return undefined;
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  get msgType(): string {
    return (this.type ??= this.get(Tag.MsgType) ?? '');
  }

  get seqNum(): number | undefined {
    return this.getInt(Tag.MsgSeqNum);
  }

  /** The body: everything but the standard header and trailer tags this engine writes itself. */
  bodyFields(): Field[] {
    return this.fields.filter(([tag]) => !HEADER_TAGS.has(tag) && tag !== Tag.CheckSum);
  }
}

const EMPTY: readonly Field[] = [];
const INTEGER = /^-?\d+$/;
const integerOf = (value: string): number | undefined => (INTEGER.test(value) ? Number(value) : undefined);

/** Header tags the session sets on every outgoing message. */
export const HEADER_TAGS: ReadonlySet<number> = new Set([
  Tag.BeginString,
  Tag.BodyLength,
  Tag.MsgType,
  Tag.SenderCompID,
  Tag.TargetCompID,
  Tag.MsgSeqNum,
  Tag.SendingTime,
  Tag.PossDupFlag,
  Tag.PossResend,
  Tag.OrigSendingTime,
]);

/** What the application hands the session to send: the type and body; the session adds the header. */
export interface OutgoingFix {
  readonly msgType: string;
  readonly body: readonly Field[];
  /** PossResend (97): the application may have sent this message before under another number. */
  readonly possResend?: boolean;
  /** Routing header fields, e.g. reverseRoute() of the message answered. */
  readonly routing?: readonly Field[];
}

/** A body as tag, value, tag, value...: one array, not one per field. */
export type FlatFields = readonly (number | string)[];

/**
 * An outgoing message built with a flat body (the hot builders: NewOrderSingle, ExecutionReport);
 * the session encodes `flat`, and `body` (the fields as pairs) is made only if something asks.
 */
export class FlatOutgoing implements OutgoingFix {
  private pairs: Field[] | undefined;

  constructor(
    readonly msgType: string,
    readonly flat: FlatFields,
  ) {}

  get body(): readonly Field[] {
    if (!this.pairs) {
      const pairs: Field[] = [];
      for (let i = 0; i < this.flat.length; i += 2) pairs.push([this.flat[i] as number, this.flat[i + 1] as string]);
      this.pairs = pairs;
    }
    return this.pairs;
  }
}

/**
 * The routing header of an answer to `message`, as QuickFIX's reverseRoute: OnBehalfOf becomes
 * DeliverTo and the other way round (CompID, SubID, LocationID); empty values are not carried.
 */
export function reverseRoute(message: FixMessage): Field[] {
  const routing: Field[] = [];
  for (const [from, to] of REVERSED_ROUTING) {
    const value = message.get(from);
    if (value) routing.push([to, value]);
  }
  return routing.sort(([a], [b]) => a - b);
}

/** OnBehalfOfCompID 115 ↔ DeliverToCompID 128, OnBehalfOfSubID 116 ↔ DeliverToSubID 129, OnBehalfOfLocationID 144 ↔ DeliverToLocationID 145. */
const REVERSED_ROUTING: readonly (readonly [number, number])[] = [
  [115, 128],
  [128, 115],
  [116, 129],
  [129, 116],
  [144, 145],
  [145, 144],
];
