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
  // Assigned, not spread: an object spread costs microseconds on Node 20, per message here.
  const headers: IHeaders = {};
  if (message.headers) for (const name in message.headers) headers[name] = message.headers[name];
  headers[EVENT_ID_HEADER] = message.eventId;
  headers[EVENT_TYPE_HEADER] = message.payload.type;
  return { key: message.key, value: JSON.stringify(message.payload), headers };
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
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string')
    throw fail('value is not a payload with a type');
  let eventId: string | undefined;
  let headers: Record<string, string> | undefined;
  // Kafka allows a header name more than once; the port has one value per name, so the last wins.
  for (const name in record.headers) {
    const value = record.headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    if (name === EVENT_ID_HEADER) eventId = last.toString();
    else if (!RESERVED.has(name)) (headers ??= {})[name] = last.toString();
  }
  const delivered: DeliveredMessage = {
    topic,
    key: record.key?.toString('utf8') ?? '',
    // A record from a producer that set no event-id still needs a stable id for consumers' inboxes.
    eventId: eventId ?? `${topic}/${partition}/${record.offset}`,
    // Our producers write only BusPayloads (checked at compile time there); the shape is trusted here.
    payload: parsed as BusPayload,
    offset: BigInt(record.offset),
    partition,
  };
  if (headers) delivered.headers = headers;
  return delivered;
}
