import { Kafka, logLevel, Partitioners, type Admin, type LogEntry, type Producer, type TopicMessages } from 'kafkajs';
import type { Topic } from '../../domain/events/topics.js';
import type { EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../../ports/event-bus.js';
import type { Logger } from '../observability/pino-logger.js';
import { toKafkaMessage } from './kafka-codec.js';
import { KafkaGroupConsumer, type StartOffset } from './kafka-consumer.js';
import { mendKafkajsIdleTimers } from './kafkajs-idle-timers.js';
import { parseBootstrap } from './kafka-topics.js';

export interface KafkaBusOptions {
  /** "host:port,host:port", as in KAFKA_BOOTSTRAP. */
  readonly bootstrap: string;
  readonly clientId: string;
  /** Receives kafkajs' warnings and errors; without it kafkajs logs nothing (never to the console). */
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
  readonly onHandlerError?: (group: string, topic: Topic, error: unknown) => void;
  /** A consumer's lag on one partition, at each fetch and after its batch (metrics). */
  readonly onConsumerLag?: (group: string, topic: Topic, partition: number, lag: number) => void;
  /** First wait before a failed batch is handed to its handler again; doubles up to 5 s. Default 100. */
  readonly retryDelayMs?: number;
  /**
   * Where a group with no committed offset starts, unless the subscription says (startAt). true
   * (the default): at the start of the log, so a service's first run still sees what was published
   * before it; false: at the end, and subscribe() resolves only once that position is fixed.
   */
  readonly fromBeginning?: boolean;
  /** How long a fetch waits for data; also bounds how long stop() waits for an idle fetch. Default 500. */
  readonly maxWaitTimeInMs?: number;
  /** Group session timeout; at least 10 s on librdkafka's mock broker. Default 30 000. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Batches of different partitions one consumer handles at once (per-key order holds); default 1. */
  readonly partitionsConcurrently?: number;
}

/**
 * The EventBus on Apache Kafka (kafkajs). publish() sends each call's messages per topic in one
 * batch through an idempotent producer with acks=all, and resolves once the brokers acked: the
 * outbox relay marks rows published only then. Partitioning by key keeps one key's messages in
 * one partition, in order (one request in flight per broker, so a retry cannot reorder).
 * subscribe() starts one consumer in the group, for all of its topics (see KafkaGroupConsumer for
 * the commit rules).
 * Topics must exist; see KAFKA_TOPIC_PARTITIONS.
 */
export class KafkaBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumers = new Set<KafkaGroupConsumer>();
  private connected: Promise<void> | undefined;
  private admin: Promise<Admin> | undefined;

  constructor(private readonly options: KafkaBusOptions) {
    mendKafkajsIdleTimers();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: parseBootstrap(options.bootstrap),
      logLevel: options.logger ? logLevel.WARN : logLevel.NOTHING,
      logCreator: () => (entry) => forward(options.logger, entry),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /** Connects the producer (publish() also does, on first use). */
  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<Topic, TopicMessages>();
    for (const message of messages) {
      const entry = byTopic.get(message.topic) ?? { topic: message.topic, messages: [] };
      entry.messages.push(toKafkaMessage(message));
      byTopic.set(message.topic, entry);
    }
    await this.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const maxWaitTimeInMs = this.options.maxWaitTimeInMs ?? 500;
    const consumer = new KafkaGroupConsumer(
      this.kafka.consumer({
        groupId: options.group,
        maxWaitTimeInMs,
        sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
        ...(this.options.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: this.options.heartbeatIntervalMs }),
        allowAutoTopicCreation: false,
      }),
      options,
      {
        retryDelayMs: this.options.retryDelayMs ?? 100,
        onHandlerError: this.options.onHandlerError,
        logger: this.options.logger,
        partitionsConcurrently: this.options.partitionsConcurrently,
        onLag: this.options.onConsumerLag,
      },
      options.continuesFrom ? await this.offsetsToContinue(options.group, options.continuesFrom) : [],
    );
    this.consumers.add(consumer);
    const fromBeginning = options.startAt ? options.startAt === 'earliest' : (this.options.fromBeginning ?? true);
    try {
      await consumer.start(fromBeginning, !fromBeginning, maxWaitTimeInMs + 10_000);
    } catch (error) {
      this.consumers.delete(consumer);
      await consumer.stop().catch(() => undefined);
      throw error;
    }
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  /**
   * Resolves when the cluster answers a metadata request now (readiness: a service whose brokers
   * are gone can neither take nor pass on orders).
   */
  async ping(): Promise<void> {
    const { brokers } = await (await this.adminClient()).describeCluster();
    if (brokers.length === 0) throw new Error('the cluster reported no brokers');
  }

  /**
   * The former groups' committed offsets on each partition where `group` has committed none yet: a
   * renamed or merged group goes on where its predecessors stopped, not at its startAt. Instances
   * starting at once may each read "none yet"; one then replays from the predecessors' offsets
   * what another already handled, which the at-least-once handlers absorb.
   */
  private async offsetsToContinue(group: string, formerGroups: Readonly<Partial<Record<Topic, string>>>): Promise<StartOffset[]> {
    const admin = await this.adminClient();
    const own = await admin.fetchOffsets({ groupId: group, topics: Object.keys(formerGroups) });
    const carried = await Promise.all(
      own.map(async ({ topic, partitions }) => {
        const unstarted = new Set(partitions.filter(({ offset }) => BigInt(offset) < 0n).map(({ partition }) => partition));
        const formerGroup = formerGroups[topic as Topic];
        if (unstarted.size === 0 || formerGroup === undefined) return [];
        const [former] = await admin.fetchOffsets({ groupId: formerGroup, topics: [topic] });
        return (former?.partitions ?? [])
          .filter(({ partition, offset }) => unstarted.has(partition) && BigInt(offset) >= 0n)
          .map(({ partition, offset }) => ({ topic: topic as Topic, partition, offset }));
      }),
    );
    return carried.flat();
  }

  /** The admin connection, opened on first use and kept between calls. */
  private adminClient(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }

  async close(): Promise<void> {
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await this.producer.disconnect();
    this.connected = undefined;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}

/** Builds a KafkaBus with its producer connected, so a bad bootstrap fails at start-up rather than on the first publish. */
export async function createKafkaBus(options: KafkaBusOptions): Promise<KafkaBus> {
  const bus = new KafkaBus(options);
  await bus.connect();
  return bus;
}

/**
 * kafkajs log entries as structured lines: the message as msg, its fields (error, groupId...) as
 * bindings. kafkajs logs every error response at the connection level as an error, even those it
 * handles itself (a rebalance's "rejoin needed" on each commit and heartbeat): those become
 * warnings; what it cannot handle surfaces elsewhere (a consumer's crash, logged as an error; a
 * rejected publish()).
 */
function forward(logger: Pick<Logger, 'warn' | 'error'> | undefined, entry: LogEntry): void {
  if (!logger) return;
  const { message, timestamp: _timestamp, ...fields } = entry.log;
  const bindings = { kafka: entry.namespace, ...fields };
  if (entry.level === logLevel.ERROR && entry.namespace !== 'Connection') logger.error(bindings, message);
  else if (entry.level <= logLevel.WARN) logger.warn(bindings, message);
}
