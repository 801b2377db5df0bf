import type { BusPayload } from '../domain/events/messages.js';
import type { Topic } from '../domain/events/topics.js';

export interface OutgoingMessage<P extends BusPayload = BusPayload> {
  topic: Topic;
  /** Partitioning key: all messages with one key are delivered in publish order. */
  key: string;
  /** UUIDv7, unique per message; consumers use it to skip redeliveries. */
  eventId: string;
  payload: P;
  /** W3C traceparent and similar; carried as Kafka headers in distributed mode. */
  headers?: Readonly<Record<string, string>>;
}

export interface DeliveredMessage<P extends BusPayload = BusPayload> extends OutgoingMessage<P> {
  /** Position in its topic (partition) log; increases with publish order per key. */
  offset: bigint;
  partition: number;
}

export type BatchHandler = (batch: readonly DeliveredMessage[]) => Promise<void>;

/** The topics one subscription takes, each with the handler of its messages. */
export type TopicHandlers = Readonly<Partial<Record<Topic, BatchHandler>>>;

interface SubscriptionCommon {
  /** Consumer group: each group sees every message once (at least once); instances share the work. */
  group: string;
  /** Largest batch handed to a handler at once. */
  maxBatch?: number;
  /**
   * Where a group with no committed offset starts: 'earliest' (the default) so a service's first
   * run still sees what was published before it; 'latest' for per-instance groups that only want
   * what is current (market data, live API streams). The in-process bus has no history: both mean now.
   */
  startAt?: 'earliest' | 'latest';
  /**
   * Groups whose committed offsets this one takes over, per topic, on each partition where it has
   * none of its own: the groups it replaces (a rename, or several merged into one). Only a log with
   * committed offsets (Kafka) has anything to take over.
   */
  continuesFrom?: Readonly<Partial<Record<Topic, string>>>;
}

/**
 * One topic, or several in one consumer: a process then has one member in the group, which owns
 * the same partitions of every topic whose messages are keyed alike (one order's on each).
 */
export type SubscribeOptions = SubscriptionCommon & ({ topic: Topic; handler: BatchHandler } | { handlers: TopicHandlers });

/** The subscription's topics with their handlers, in the order given. */
export function subscribedTopics(options: SubscribeOptions): readonly (readonly [Topic, BatchHandler])[] {
  if ('topic' in options) return [[options.topic, options.handler]];
  return Object.entries(options.handlers).flatMap(([topic, handler]) => (handler ? [[topic as Topic, handler] as const] : []));
}

export interface Subscription {
  /** Stops fetching, waits for the batch in hand to finish and its offset to be committed. */
  stop(): Promise<void>;
}

/**
 * Topic semantics shared by the embedded log bus and Kafka: durable publish, per-key order,
 * at-least-once delivery (offsets are committed only after the handler resolved; a handler that
 * throws gets the same batch again after a back-off), consumer groups.
 */
export interface EventBus {
  /** Resolves once the messages are durable in the log. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}
