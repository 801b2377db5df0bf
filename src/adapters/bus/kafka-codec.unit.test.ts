import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import { fromKafkaMessage, toKafkaMessage, UndecodableMessageError } from './kafka-codec.js';
import { KAFKA_TOPIC_PARTITIONS, kafkaTopicSpecs, parseBootstrap } from './kafka-topics.js';

const sent: OutgoingMessage = {
  topic: TOPICS.marketdataQuotes,
  key: 'IBM',
  eventId: '0190a0b0-0000-7000-8000-000000000001',
  payload: {
    type: 'QuoteUpdated',
    symbol: 'IBM',
    venue: 'XNYS',
    bidPrice: '101.25',
    bidSize: 300,
    askPrice: null,
    askSize: 0,
    timestamp: new Date(0).toISOString(),
  },
  headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'event-id': 'spoofed' },
};

/** A record as kafkajs hands it over: key, value and header values as Buffers. */
function received(message: OutgoingMessage, offset = '42'): KafkaMessage {
  const wire = toKafkaMessage(message);
  const headers = Object.fromEntries(Object.entries(wire.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]));
  return { key: Buffer.from(String(wire.key)), value: Buffer.from(String(wire.value)), headers, offset, timestamp: '0', attributes: 0 };
}

describe('Kafka record codec', () => {
  it('writes the payload as JSON, the key, and event-id/event-type headers next to the caller headers', () => {
    const wire = toKafkaMessage(sent);
    expect(wire.key).toBe('IBM');
    expect(JSON.parse(String(wire.value))).toEqual(sent.payload);
    expect(wire.headers).toEqual({ traceparent: sent.headers!.traceparent, 'event-id': sent.eventId, 'event-type': 'QuoteUpdated' });
  });

  it('rebuilds the delivered message from a record', () => {
    expect(fromKafkaMessage(TOPICS.marketdataQuotes, 2, received(sent))).toEqual({
      ...sent,
      headers: { traceparent: sent.headers!.traceparent },
      offset: 42n,
      partition: 2,
    });
  });

  it('takes the last value of a repeated header and derives a stable event id when a producer set none', () => {
    const record = received(sent);
    record.headers = { traceparent: [Buffer.from('first'), Buffer.from('last')] };
    const delivered = fromKafkaMessage(TOPICS.marketdataQuotes, 1, record);
    expect(delivered.headers).toEqual({ traceparent: 'last' });
    expect(delivered.eventId).toBe('marketdata.quotes/1/42');
  });

  it('refuses records that hold no payload', () => {
    const bad = (value: string | null): KafkaMessage => ({ ...received(sent), value: value === null ? null : Buffer.from(value) });
    for (const value of [null, 'not json', '42', '{"no":"type"}'])
      expect(() => fromKafkaMessage(TOPICS.marketdataQuotes, 0, bad(value))).toThrow(UndecodableMessageError);
  });
});

describe('Kafka topics and bootstrap', () => {
  it('lists every topic with its partitions for the broker', () => {
    expect(kafkaTopicSpecs()).toEqual(Object.values(TOPICS).map((topic) => `${topic}:${KAFKA_TOPIC_PARTITIONS[topic]}`));
  });

  it('parses "host:port,host:port" and refuses anything else', () => {
    expect(parseBootstrap(' kafka-1:9092, kafka-2:9092 ,')).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(parseBootstrap('[::1]:9092')).toEqual(['[::1]:9092']);
    for (const bad of ['', 'kafka', 'kafka:port', 'kafka:9092,kafka 2:9092']) expect(() => parseBootstrap(bad)).toThrow(/host:port/);
  });
});
