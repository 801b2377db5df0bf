import { Tag } from './tags.js';

export type Field = readonly [tag: number, value: string];

/**
 * A FIX message as an ordered list of fields (order matters for repeating groups), with lookup by
 * tag. The first occurrence of a tag wins on lookup.
 */
export class FixMessage {
  private index: Map<number, string> | undefined;

  constructor(readonly fields: readonly Field[]) {}

  get(tag: number): string | undefined {
    if (!this.index) {
      this.index = new Map();
      for (const [t, v] of this.fields) if (!this.index.has(t)) this.index.set(t, v);
    }
    return this.index.get(tag);
  }

  has(tag: number): boolean {
    return this.get(tag) !== undefined;
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
}
