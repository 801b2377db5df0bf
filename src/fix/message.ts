import { Tag } from './tags.js';

export type Field = readonly [tag: number, value: string];

/**
 * A FIX message as an ordered list of fields (order matters for repeating groups), with lookup by
 * tag. The first occurrence of a tag wins on lookup. Tags and values are kept in two parallel
 * arrays: decoding then allocates no object per field, and a lookup in a message of a few dozen
 * fields is a scan of small integers, cheaper than building an index.
 */
export class FixMessage {
  private readonly tags: number[];
  /** Values by position, cut out of `wire` on first use: most fields of a message are never read. */
  private readonly values: (string | undefined)[];
  private fieldList: readonly Field[] | undefined;

  constructor(
    fields: readonly Field[],
    private readonly wire?: { readonly text: string; readonly tags: number[]; readonly bounds: number[] },
  ) {
    if (wire) {
      this.tags = wire.tags;
      this.values = [];
    } else {
      this.tags = fields.map(([tag]) => tag);
      this.values = fields.map(([, value]) => value);
      this.fieldList = fields;
    }
  }

  /** A decoded message: `bounds` holds each value's start and end offsets in `text`, in pairs. */
  static fromWire(text: string, tags: number[], bounds: number[]): FixMessage {
    return new FixMessage([], { text, tags, bounds });
  }

  private valueAt(position: number): string {
    let value = this.values[position];
    if (value === undefined) {
      const { text, bounds } = this.wire!;
      value = this.values[position] = text.slice(bounds[2 * position], bounds[2 * position + 1]);
    }
    return value;
  }

  /** The fields in wire order. */
  get fields(): readonly Field[] {
    return (this.fieldList ??= this.tags.map((tag, i) => [tag, this.valueAt(i)] as const));
  }

  get size(): number {
    return this.tags.length;
  }

  /** The tag of the field at `position` in wire order. */
  tagAt(position: number): number | undefined {
    return this.tags[position];
  }

  get(tag: number): string | undefined {
    const position = this.tags.indexOf(tag);
    return position < 0 ? undefined : this.valueAt(position);
  }

  has(tag: number): boolean {
    return this.tags.includes(tag);
  }

  /** An integer field, or undefined when absent or not an integer. */
  getInt(tag: number): number | undefined {
    const value = this.get(tag);
    return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
  }

  get msgType(): string {
    return this.get(Tag.MsgType) ?? '';
  }

  get seqNum(): number | undefined {
    return this.getInt(Tag.MsgSeqNum);
  }

  /** The body: everything but the standard header and trailer tags this engine writes itself. */
  bodyFields(): Field[] {
    return this.fields.filter(([tag]) => !HEADER_TAGS.has(tag) && tag !== Tag.CheckSum);
  }
}

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
