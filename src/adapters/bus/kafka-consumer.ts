import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Topic } from '../../domain/events/topics.js';
import { subscribedTopics, type DeliveredMessage, type SubscribeOptions, type Subscription } from '../../ports/event-bus.js';
import type { Logger } from '../observability/pino-logger.js';
import { fromKafkaMessage, UndecodableMessageError } from './kafka-codec.js';
import { GroupCommit } from '../../lib/group-commit.js';

export interface GroupConsumerOptions {
  /** First wait before a failed batch is handed to its handler again; doubles up to 5 s. */
  readonly retryDelayMs: number;
  readonly onHandlerError?: ((group: string, topic: Topic, error: unknown) => void) | undefined;
  readonly logger?: Pick<Logger, 'warn' | 'error'> | undefined;
  /** How many partitions' fetched batches kafkajs hands to the consumer at once; default 1. */
  readonly partitionsConcurrently?: number | undefined;
  /** Messages behind the partition's high watermark: at each fetch, and once its batch is handled (a metric). */
  readonly onLag?: ((group: string, topic: Topic, partition: number, lag: number) => void) | undefined;
}

const MAX_RETRY_DELAY_MS = 5000;
/** Records fetched ahead of the handler, at most, as a multiple of maxBatch (and never fewer than 2,000). */
const PREFETCH_BATCHES = 4;
const MIN_PREFETCH = 2_000;

/** A fetched record waiting for the handler; undecodable records carry no message and are only committed past. */
interface QueuedRecord {
  readonly offset: string;
  readonly message: DeliveredMessage | undefined;
}

/** One assigned partition's records in hand, handled one slice at a time in offset order. */
interface PartitionLane {
  readonly topic: Topic;
  readonly partition: number;
  readonly queue: QueuedRecord[];
  highWatermark: string;
  /** The partition left this member (a rebalance): nothing more of it is handled or committed here. */
  revoked: boolean;
  /** The slice being handled and committed, if any. */
  running: Promise<void> | undefined;
}

/** Where a partition starts in a group that has no committed offset of its own for it (continuesFrom). */
export interface StartOffset {
  readonly topic: Topic;
  readonly partition: number;
  readonly offset: string;
}

/** The key of one topic's partition among a consumer's lanes and start offsets. */
const partitionKey = (topic: Topic, partition: number): string => `${topic}/${partition}`;

/**
 * One subscribe(): a kafkajs consumer in the group, driven by eachBatch with kafkajs' own commits
 * off. Fetching runs ahead of the handler: each fetched batch joins its partition's lane and the
 * fetch loop goes on at once (up to PREFETCH_BATCHES × maxBatch records in hand per topic, at
 * least MIN_PREFETCH), while each lane hands its records to the handler in slices of maxBatch, in
 * offset order, and commits a slice's offsets only after the handler resolved. Without it a consumer fetched only once its last
 * batch was handled; a broker that answers a fetch with one record batch per partition (the
 * Kafka test broker) then capped each consumer at a few records per handler call, however long
 * the backlog.
 * A slice whose handler throws stays in hand and is retried after a back-off (doubling, capped at
 * 5 s), so nothing behind it in the partition overtakes it; if the consumer stops or loses the
 * partition meanwhile, the slice is left uncommitted and the partition's next owner gets it
 * again. Slices of different partitions that are in hand at once go to the handler as one batch
 * (one call, so one transaction), each partition's messages still in offset order.
 * Several topics share the one member and its fetches; each topic's slices go to its own handler,
 * and a topic with more than its room in hand stops being fetched (kafkajs pause) while the
 * others go on.
 */
export class KafkaGroupConsumer implements Subscription {
  private stopping = false;
  /** Wakes every back-off at once: on stop. */
  private sleepers: (() => void)[] = [];
  private stopped: Promise<void> | undefined;
  /**
   * Handler calls per topic: slices waiting while one runs share the next (a failure fails each,
   * and each partition retries its own).
   */
  private readonly calls = new Map<Topic, GroupCommit<readonly DeliveredMessage[], void>>();
  private readonly lanes = new Map<string, PartitionLane>();
  /** Start offsets taken over from former groups (continuesFrom); applied at the first join only. */
  private readonly carriedOver: Map<string, StartOffset>;
  private readonly sliceSize: number;
  private readonly maxInHand: number;
  /** Records in hand per topic, each topic with room for maxInHand. */
  private readonly inHand = new Map<Topic, number>();
  /** Topics whose fetching stopped (kafkajs pause) until their records in hand are back within room. */
  private readonly pausedTopics = new Set<Topic>();

  constructor(
    private readonly consumer: Consumer,
    private readonly subscription: SubscribeOptions,
    private readonly options: GroupConsumerOptions,
    startOffsets: readonly StartOffset[] = [],
  ) {
    for (const [topic, handler] of subscribedTopics(subscription)) {
      const calls = new GroupCommit<readonly DeliveredMessage[], void>(
        async (slices) => {
          await handler(slices.length === 1 ? slices[0]! : slices.flat());
          return slices.map((): void => undefined);
        },
        { gatherTurn: true },
      );
      this.calls.set(topic, calls);
    }
    this.carriedOver = new Map(startOffsets.map((start) => [partitionKey(start.topic, start.partition), start]));
    this.sliceSize = Math.max(1, subscription.maxBatch ?? 500);
    this.maxInHand = Math.max(MIN_PREFETCH, PREFETCH_BATCHES * this.sliceSize);
  }

  /** Joins the group and starts consuming; with `waitForPosition`, resolves only once the assigned partitions' start offsets are fixed. */
  async start(fromBeginning: boolean, waitForPosition: boolean, positionTimeoutMs: number): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.calls.keys()], fromBeginning });
    // After a (re)join kafkajs fetches again from the committed offsets: records in hand would
    // come twice, and partitions now someone else's must not be handled or committed here.
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onJoin(payload.memberAssignment));
    // kafkajs resolves a new group's start offsets (earliest/latest) inside its first fetch after
    // the join, so only that fetch's end guarantees that a message published now will be seen.
    const positioned = waitForPosition ? this.firstFetch(positionTimeoutMs) : Promise.resolve();
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Batches of different partitions may run side by side (keys never span partitions, so each
      // key's order holds); handlers take their own locks in the database. 1 is one at a time.
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => {
        this.onBatch(payload);
        return Promise.resolve();
      },
    });
    await positioned;
  }

  /** Stops fetching, drops what was fetched ahead, lets the slices in hand finish and commit, then leaves the group. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      for (const wake of this.sleepers.splice(0)) wake();
      for (const lane of this.lanes.values()) this.dropQueued(lane);
      await Promise.all([...this.lanes.values()].map((lane) => lane.running));
      await this.consumer.disconnect();
    })();
    return this.stopped;
  }

  private firstFetch(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const remove = this.consumer.on(this.consumer.events.FETCH, done);
      function done(): void {
        clearTimeout(timer);
        remove();
        resolve();
      }
    });
  }

  /** Queues the batch on its partition's lane and returns, so kafkajs fetches again. */
  private onBatch(payload: EachBatchPayload): void {
    const { batch } = payload;
    const topic = batch.topic as Topic;
    this.reportLag(topic, batch.partition, batch.offsetLagLow());
    if (this.stopping || batch.messages.length === 0) return;
    const lane = this.laneOf(topic, batch.partition);
    for (const record of batch.messages) lane.queue.push({ offset: record.offset, message: this.decode(topic, batch.partition, record) });
    lane.highWatermark = batch.highWatermark;
    this.inHand.set(topic, this.held(topic) + batch.messages.length);
    // The next fetch of this partition starts after these records; they are committed once handled.
    payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    this.startLane(lane);
    // Too much of this topic in hand: kafkajs stops fetching it until the lanes make room
    // (release), and goes on fetching the other topics. Waiting here instead would hold back
    // every topic's fetches, since kafkajs fetches again only once each batch returned.
    if (this.held(topic) > this.maxInHand && !this.pausedTopics.has(topic)) {
      this.pausedTopics.add(topic);
      this.consumer.pause([{ topic }]);
    }
  }

  private laneOf(topic: Topic, partition: number): PartitionLane {
    const key = partitionKey(topic, partition);
    const lane = this.lanes.get(key);
    if (lane && !lane.revoked) return lane;
    const fresh: PartitionLane = { topic, partition, queue: [], highWatermark: '0', revoked: false, running: undefined };
    this.lanes.set(key, fresh);
    return fresh;
  }

  private startLane(lane: PartitionLane): void {
    if (lane.running) return;
    lane.running = this.runLane(lane).finally(() => {
      lane.running = undefined;
      // Records queued after the loop's last look, before this callback ran.
      if (lane.queue.length > 0 && !this.stopping && !lane.revoked) this.startLane(lane);
    });
  }

  /** Hands the lane's records to the handler, a slice at a time, committing each after it. */
  private async runLane(lane: PartitionLane): Promise<void> {
    while (lane.queue.length > 0 && !this.stopping && !lane.revoked) {
      const taken = lane.queue.splice(0, this.sliceSize);
      const slice = taken.flatMap((record) => (record.message ? [record.message] : []));
      const handled = slice.length === 0 || (await this.handleWithRetry(slice, lane));
      // Committed even while stopping: stop() waits for the slice in hand to finish and commit.
      if (handled && !lane.revoked) await this.commit(lane, taken[taken.length - 1]!.offset);
      this.release(lane.topic, taken.length);
    }
  }

  private async commit(lane: PartitionLane, lastOffset: string): Promise<void> {
    const next = BigInt(lastOffset) + 1n;
    try {
      await this.consumer.commitOffsets([{ topic: lane.topic, partition: lane.partition, offset: next.toString() }]);
      this.reportLag(lane.topic, lane.partition, String(BigInt(lane.highWatermark) - next));
    } catch (error) {
      // Handled, not committed: after a rebalance the partition's owner gets these again (handlers are idempotent).
      this.options.logger?.warn(
        { group: this.subscription.group, topic: lane.topic, partition: lane.partition, err: error },
        'offset commit failed; these records will be delivered again',
      );
    }
  }

  private onJoin(assignment: Readonly<Record<string, readonly number[]>>): void {
    const assigned = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => partitionKey(topic as Topic, p))));
    for (const [key, lane] of this.lanes) {
      this.dropQueued(lane);
      if (!assigned.has(key)) {
        lane.revoked = true;
        this.lanes.delete(key);
      }
    }
    // Emitted before the first fetch after the join, which applies the seeks. Only at the first
    // join: a partition another member took then was that member's to carry over.
    for (const key of assigned) {
      const start = this.carriedOver.get(key);
      if (start) this.consumer.seek(start);
    }
    this.carriedOver.clear();
  }

  private dropQueued(lane: PartitionLane): void {
    this.release(lane.topic, lane.queue.length);
    lane.queue.length = 0;
  }

  private held(topic: Topic): number {
    return this.inHand.get(topic) ?? 0;
  }

  private release(topic: Topic, records: number): void {
    const left = this.held(topic) - records;
    this.inHand.set(topic, left);
    if (left <= this.maxInHand && this.pausedTopics.delete(topic) && !this.stopping) this.consumer.resume([{ topic }]);
  }

  /** Until `ms` pass or the consumer stops, whichever comes first. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers = this.sleepers.filter((w) => w !== wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.push(wake);
    });
  }

  private reportLag(topic: Topic, partition: number, lag: string): void {
    this.options.onLag?.(this.subscription.group, topic, partition, Number(lag));
  }

  /** True once the handler took the slice; false when the slice must stay uncommitted (stopping, partition lost). */
  private async handleWithRetry(slice: readonly DeliveredMessage[], lane: PartitionLane): Promise<boolean> {
    let delayMs = this.options.retryDelayMs;
    for (;;) {
      try {
        await this.calls.get(lane.topic)!.submit(slice);
        return true;
      } catch (error) {
        this.options.onHandlerError?.(this.subscription.group, lane.topic, error);
        await this.sleep(delayMs);
        delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
        if (this.stopping || lane.revoked) return false;
      }
    }
  }

  /**
   * A record that is not a payload can never be handled: blocking its partition on it forever
   * would stop every order behind it, so it is logged and skipped (committed past).
   */
  private decode(topic: Topic, partition: number, record: KafkaMessage): DeliveredMessage | undefined {
    try {
      return fromKafkaMessage(topic, partition, record);
    } catch (error) {
      if (!(error instanceof UndecodableMessageError)) throw error;
      this.options.logger?.error({ group: this.subscription.group, err: error }, 'skipping an undecodable Kafka record');
      return undefined;
    }
  }
}
