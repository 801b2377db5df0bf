import { TOPICS, type Topic } from '../../domain/events/topics.js';

/**
 * Partitions per topic, for whoever creates the topics (a start script, an operator, the compose
 * file): consumers of one group share a topic's work at most this many ways. Order topics get 6;
 * quotes 3, because one consumer per service is plenty for them. Topics one consumer takes together
 * (oms-core: orders.inbound and executions.fills, both keyed by order) keep as many partitions, so
 * a member owns the same orders on each. A Record over Topic, so a new topic does not compile
 * until it has a count here.
 */
export const KAFKA_TOPIC_PARTITIONS: Readonly<Record<Topic, number>> = {
  [TOPICS.ordersInbound]: 6,
  [TOPICS.ordersValidated]: 6,
  [TOPICS.ordersRouted]: 6,
  [TOPICS.executionsFills]: 6,
  [TOPICS.ordersStatus]: 6,
  [TOPICS.marketdataQuotes]: 3,
};

/** `topic:partitions` for every topic, the form the mock broker and kafka-topics scripts take. */
export function kafkaTopicSpecs(): string[] {
  return Object.values(TOPICS).map((topic) => `${topic}:${KAFKA_TOPIC_PARTITIONS[topic]}`);
}

/** "host:port,host:port" (KAFKA_BOOTSTRAP's form) as the broker list a client takes. */
export function parseBootstrap(bootstrap: string): string[] {
  const brokers = bootstrap
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const bad = brokers.filter((entry) => !/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/.test(entry));
  if (brokers.length === 0 || bad.length > 0) throw new Error(`Kafka bootstrap must be "host:port,host:port", got "${bootstrap}"`);
  return brokers;
}
