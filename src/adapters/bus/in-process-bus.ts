import type { Topic } from '../../domain/events/topics.js';
import {
  subscribedTopics,
  type BatchHandler,
  type DeliveredMessage,
  type EventBus,
  type OutgoingMessage,
  type SubscribeOptions,
  type Subscription,
} from '../../ports/event-bus.js';

export interface InProcessBusOptions {
  /**
   * Most messages a handler gets at once, unless its subscription says otherwise (default 500).
   * Each batch is one transaction on the embedded database's one connection, which acknowledging
   * orders waits for: smaller batches bound that wait.
   */
  readonly maxBatch?: number;
  /** First wait before a failed batch is handed to its handler again; doubles up to 5 s. */
  readonly retryDelayMs?: number;
  readonly onHandlerError?: (group: string, topic: Topic, error: unknown) => void;
}

/**
 * The embedded event bus: Kafka's topic semantics inside one process. The outbox is its durable
 * log: the relay publishes committed outbox rows, and publish() resolves only once every consumer
 * group of each topic has handled them, so the relay deletes a row only after it was
 * consumed. A handler that throws gets the same batch again after a back-off; a crash before the
 * delete replays the rows on restart, and each consumer's inbox drops what it had already applied.
 * Each group handles each topic's messages in publish order, so per-key order holds.
 */
export class InProcessBus implements EventBus {
  private readonly groups = new Map<Topic, Set<GroupConsumer>>();
  private nextOffset = 1n;

  constructor(private readonly options: InProcessBusOptions = {}) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<Topic, DeliveredMessage[]>();
    for (const message of messages) {
      const delivered: DeliveredMessage = { ...message, offset: this.nextOffset++, partition: 0 };
      const list = byTopic.get(message.topic);
      if (list) list.push(delivered);
      else byTopic.set(message.topic, [delivered]);
    }
    await Promise.all([...byTopic].flatMap(([topic, batch]) => [...(this.groups.get(topic) ?? [])].map((group) => group.deliver(batch))));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    // Each topic has its own queue, as each Kafka partition has: no order holds across topics.
    const consumers = subscribedTopics(options).map(([topic, handler]) => {
      const consumer = new GroupConsumer({ group: options.group, topic, handler, maxBatch: options.maxBatch }, this.options);
      const set = this.groups.get(topic) ?? new Set();
      set.add(consumer);
      this.groups.set(topic, set);
      return { consumer, set };
    });
    return {
      stop: async () => {
        for (const { consumer, set } of consumers) set.delete(consumer);
        await Promise.all(consumers.map(({ consumer }) => consumer.stop()));
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.groups.values()].flatMap((set) => [...set].map((consumer) => consumer.stop())));
    this.groups.clear();
  }
}

export class BusStoppedError extends Error {
  constructor(group: string) {
    super(`consumer ${group} stopped before handling its batch`);
    this.name = 'BusStoppedError';
  }
}

interface TopicConsumerOptions {
  readonly group: string;
  readonly topic: Topic;
  readonly handler: BatchHandler;
  readonly maxBatch: number | undefined;
}

/** One consumer group on one topic: batches run one at a time, in order. */
class GroupConsumer {
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private readonly options: TopicConsumerOptions,
    private readonly busOptions: InProcessBusOptions,
  ) {}

  deliver(batch: readonly DeliveredMessage[]): Promise<void> {
    const run = this.tail.then(() => this.handleAll(batch));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeRetry?.();
    await this.tail;
  }

  private async handleAll(batch: readonly DeliveredMessage[]): Promise<void> {
    const size = this.options.maxBatch ?? this.busOptions.maxBatch ?? 500;
    for (let start = 0; start < batch.length; start += size) await this.handleWithRetry(batch.slice(start, start + size));
  }

  private async handleWithRetry(chunk: readonly DeliveredMessage[]): Promise<void> {
    let delayMs = this.busOptions.retryDelayMs ?? 50;
    for (;;) {
      if (this.stopped) throw new BusStoppedError(this.options.group);
      try {
        await this.options.handler(chunk);
        return;
      } catch (error) {
        this.busOptions.onHandlerError?.(this.options.group, this.options.topic, error);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delayMs = Math.min(delayMs * 2, 5000);
      }
    }
  }
}
