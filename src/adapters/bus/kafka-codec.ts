import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { BusPayload } from '../../domain/events/messages.js';
import type { Topic } from '../../domain/events/topics.js';
import type { DeliveredMessage, OutgoingMessage } from '../../ports/event-bus.js';

/** Record headers of the wire format: any consumer (another language, a tool) can route and dedupe on them. */
export const EVENT_ID_HEADER = 'event-id';
export const EVENT_TYPE_HEADER = 'event-type';
const RESERVED = new Set([EVENT_ID_HEADER, EVENT_TYPE_HEADER]);

/** Value: the payload as JSON; key: the message key; headers: ours last, so a caller cannot spoof them. */
export function toKafkaMessage(message: OutgoingMessage): Message {
  return {
    key: message.key,
    value: JSON.stringify(message.payload),
    headers: { ...message.headers, [EVENT_ID_HEADER]: message.eventId, [EVENT_TYPE_HEADER]: message.payload.type },
  };
}

export class UndecodableMessageError extends Error {
  constructor(topic: string, partition: number, offset: string, reason: string) {
    super(`cannot decode ${topic}[${partition}]@${offset}: ${reason}`);
    this.name = 'UndecodableMessageError';
  }
}

/** The DeliveredMessage a record carries; throws UndecodableMessageError when its value is not a payload. */
export function fromKafkaMessage(topic: Topic, partition: number, record: KafkaMessage): DeliveredMessage {
  const fail = (reason: string) => new UndecodableMessageError(topic, partition, record.offset, reason);
  if (record.value === null) throw fail('no value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') throw fail('value is not a payload with a type');
  const all = headerStrings(record.headers);
  const headers = Object.fromEntries(Object.entries(all).filter(([name]) => !RESERVED.has(name)));
  return {
    topic,
    key: record.key?.toString('utf8') ?? '',
    // A record from a producer that set no event-id still needs a stable id for consumers' inboxes.
    eventId: all[EVENT_ID_HEADER] ?? `${topic}/${partition}/${record.offset}`,
    // Our producers write only BusPayloads (checked at compile time there); the shape is trusted here.
    payload: parsed as BusPayload,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    offset: BigInt(record.offset),
    partition,
  };
}

/** Kafka allows a header name more than once; the port has one value per name, so the last wins. */
function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) result[name] = last.toString();
  }
  return result;
}
