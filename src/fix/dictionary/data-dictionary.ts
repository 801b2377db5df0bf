import { XMLParser } from 'fast-xml-parser';
import type { FixMessage } from '../message.js';
import { SessionRejectReason, Tag } from '../tags.js';

interface FieldDefinition {
  readonly name: string;
  readonly type: string;
  readonly values?: ReadonlySet<string>;
}

interface GroupDefinition {
  /** The field every entry starts with. */
  readonly first: number;
  readonly members: ReadonlySet<number>;
}

interface MessageDefinition {
  readonly allowed: ReadonlySet<number>;
  readonly required: ReadonlySet<number>;
  readonly groups: ReadonlyMap<number, GroupDefinition>;
}

export interface Violation {
  readonly reason: SessionRejectReason;
  readonly tag?: number;
}

/** fast-xml-parser's preserveOrder shape: one key for the element, ':@' for its attributes. */
type XmlNode = Record<string, XmlNode[]> & { ':@'?: Record<string, string> };

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;
const FORMATS: Readonly<Record<string, RegExp>> = {
  INT: INTEGER,
  LENGTH: INTEGER,
  NUMINGROUP: INTEGER,
  SEQNUM: INTEGER,
  TAGNUM: INTEGER,
  DAYOFMONTH: INTEGER,
  FLOAT: DECIMAL,
  QTY: DECIMAL,
  PRICE: DECIMAL,
  PRICEOFFSET: DECIMAL,
  AMT: DECIMAL,
  PERCENTAGE: DECIMAL,
  CHAR: /^.$/,
  BOOLEAN: /^[YN]$/,
  UTCTIMESTAMP: /^\d{8}-\d{2}:\d{2}:\d{2}(\.\d{3})?$/,
  UTCTIMEONLY: /^\d{2}:\d{2}:\d{2}(\.\d{3})?$/,
  UTCDATEONLY: /^\d{8}$/,
  LOCALMKTDATE: /^\d{8}$/,
  MONTHYEAR: /^\d{6}(\d{2}|w\d)?$/,
};

/**
 * A FIX data dictionary (QuickFIX's XML format, e.g. FIX44.xml) and the session-level checks
 * QuickFIX makes with it: tag numbers, values present, header first, no repeats outside groups,
 * tags allowed for the message type, data formats, enum values, required tags, group counts.
 */
export class DataDictionary {
  private constructor(
    private readonly fields: ReadonlyMap<number, FieldDefinition>,
    private readonly header: MessageDefinition,
    private readonly trailer: MessageDefinition,
    private readonly messages: ReadonlyMap<string, MessageDefinition>,
  ) {}

  static fromXml(xml: string): DataDictionary {
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true }).parse(xml) as XmlNode[];
    const fix = children(
      root.find((n) => 'fix' in n)!,
      'fix',
    );
    const section = (name: string) => children(fix.find((n) => name in n) ?? {}, name);
    const fields = new Map<number, FieldDefinition>();
    const numbers = new Map<string, number>();
    for (const node of section('fields')) {
      const a = node[':@']!;
      const values = children(node, 'field').map((v) => v[':@']!.enum!);
      fields.set(Number(a.number), { name: a.name!, type: a.type!, ...(values.length > 0 ? { values: new Set(values) } : {}) });
      numbers.set(a.name!, Number(a.number));
    }
    const components = new Map(section('components').map((node) => [node[':@']!.name!, children(node, 'component')]));
    const build = (nodes: XmlNode[]): MessageDefinition => {
      const definition = { allowed: new Set<number>(), required: new Set<number>(), groups: new Map<number, GroupDefinition>() };
      collect(nodes, true, definition, numbers, components);
      return definition;
    };
    const messages = new Map(section('messages').map((node) => [node[':@']!.msgtype!, build(children(node, 'message'))]));
    return new DataDictionary(fields, build(section('header')), build(section('trailer')), messages);
  }

  /** The first problem QuickFIX would reject the message for, or undefined. */
  validate(message: FixMessage): Violation | undefined {
    const definition = this.messages.get(message.msgType);
    if (!definition) return { reason: SessionRejectReason.InvalidMsgType };
    let inBody = false;
    const seen = new Set<number>();
    const groupMembers = new Set([...definition.groups.values()].flatMap((g) => [...g.members]));
    for (const [tag] of message.fields.slice(3)) {
      if (tag === Tag.CheckSum) continue;
      const isHeader = this.header.allowed.has(tag);
      if (isHeader && inBody) return { reason: SessionRejectReason.TagOutOfOrder, tag };
      if (!isHeader) inBody = true;
      if (seen.has(tag) && !groupMembers.has(tag)) return { reason: SessionRejectReason.TagRepeated, tag };
      seen.add(tag);
    }
    for (const [tag, value] of message.fields) {
      if (value === '') return { reason: SessionRejectReason.TagWithoutValue, tag };
      const field = this.fields.get(tag);
      if (!Number.isInteger(tag) || tag <= 0 || !field) return { reason: SessionRejectReason.InvalidTagNumber, tag };
      if (!this.header.allowed.has(tag) && !this.trailer.allowed.has(tag) && !definition.allowed.has(tag))
        return { reason: SessionRejectReason.TagNotDefinedForMessageType, tag };
      const format = FORMATS[field.type];
      if (format && !format.test(value)) return { reason: SessionRejectReason.IncorrectDataFormat, tag };
      if (field.values && tag !== Tag.MsgType && !value.split(field.type === 'MULTIPLEVALUESTRING' ? ' ' : '\u0000').every((v) => field.values!.has(v))) {
        return { reason: SessionRejectReason.ValueIncorrect, tag };
      }
    }
    for (const tag of [...this.header.required, ...definition.required]) if (!message.has(tag)) return { reason: SessionRejectReason.RequiredTagMissing, tag };
    return this.checkGroupCounts(message, definition);
  }

  private checkGroupCounts(message: FixMessage, definition: MessageDefinition): Violation | undefined {
    const fields = message.fields;
    for (let i = 0; i < fields.length; i++) {
      const group = definition.groups.get(fields[i]![0]);
      if (!group) continue;
      let entries = 0;
      for (let j = i + 1; j < fields.length && group.members.has(fields[j]![0]); j++) if (fields[j]![0] === group.first) entries++;
      if (entries !== Number(fields[i]![1])) return { reason: SessionRejectReason.IncorrectNumInGroup, tag: fields[i]![0] };
    }
    return undefined;
  }
}

function children(node: XmlNode, name: string): XmlNode[] {
  return (node[name] as XmlNode[] | undefined) ?? [];
}

/** Expands fields, components and groups into allowed and required tags (required only at the top). */
function collect(
  nodes: XmlNode[],
  topLevel: boolean,
  into: { allowed: Set<number>; required: Set<number>; groups: Map<number, GroupDefinition> },
  numbers: ReadonlyMap<string, number>,
  components: ReadonlyMap<string, XmlNode[]>,
): void {
  for (const node of nodes) {
    const a = node[':@'] ?? {};
    const required = topLevel && a.required === 'Y';
    if ('field' in node) {
      const tag = numbers.get(a.name!);
      if (tag === undefined) continue;
      into.allowed.add(tag);
      if (required) into.required.add(tag);
    } else if ('component' in node) {
      collect(components.get(a.name!) ?? [], required, into, numbers, components);
    } else if ('group' in node) {
      const counter = numbers.get(a.name!);
      if (counter === undefined) continue;
      into.allowed.add(counter);
      if (required) into.required.add(counter);
      const members = { allowed: new Set<number>(), required: new Set<number>(), groups: into.groups };
      const entry = children(node, 'group');
      collect(entry, false, members, numbers, components);
      into.groups.set(counter, { first: firstField(entry, numbers, components) ?? counter, members: members.allowed });
      for (const tag of members.allowed) into.allowed.add(tag);
    }
  }
}

function firstField(nodes: XmlNode[], numbers: ReadonlyMap<string, number>, components: ReadonlyMap<string, XmlNode[]>): number | undefined {
  const first = nodes[0];
  if (!first) return undefined;
  const name = first[':@']?.name ?? '';
  if ('component' in first) return firstField(components.get(name) ?? [], numbers, components);
  return numbers.get(name);
}
