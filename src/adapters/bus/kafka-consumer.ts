import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Topic } from '../../domain/events/topics.js';
import type { DeliveredMessage, SubscribeOptions, Subscription } from '../../ports/event-bus.js';
import type { Logger } from '../observability/logger.js';
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
  readonly partition: number;
  readonly queue: QueuedRecord[];
  highWatermark: string;
  /** The partition left this member (a rebalance): nothing more of it is handled or committed here. */
  revoked: boolean;
  /** The slice being handled and committed, if any. */
  running: Promise<void> | undefined;
}

/**
 * One subscribe(): a kafkajs consumer in the group, driven by eachBatch with kafkajs' own commits
 * off. Fetching runs ahead of the handler: each fetched batch joins its partition's lane and the
 * fetch loop goes on at once (up to PREFETCH_BATCHES × maxBatch records in hand, at least
 * MIN_PREFETCH), while each lane hands its records to the handler in slices of maxBatch, in
 * offset order, and commits a slice's offsets only after the handler resolved. Without it a consumer fetched only once its last
 * batch was handled; a broker that answers a fetch with one record batch per partition (the
 * Kafka test broker) then capped each consumer at a few records per handler call, however long
 * the backlog.
 * A slice whose handler throws stays in hand and is retried after a back-off (doubling, capped at
 * 5 s), so nothing behind it in the partition overtakes it; if the consumer stops or loses the
 * partition meanwhile, the slice is left uncommitted and the partition's next owner gets it
 * again. Slices of different partitions that are in hand at once go to the handler as one batch
 * (one call, so one transaction), each partition's messages still in offset order.
 */
export class KafkaGroupConsumer implements Subscription {
  private stopping = false;
  /** Wakes every back-off and every wait for room at once: on stop. */
  private sleepers: (() => void)[] = [];
  private stopped: Promise<void> | undefined;
  /** Handler calls: slices waiting while one runs share the next (a failure fails each, and each partition retries its own). */
  private readonly calls: GroupCommit<readonly DeliveredMessage[], void>;
  private readonly lanes = new Map<number, PartitionLane>();
  private readonly sliceSize: number;
  private readonly maxInHand: number;
  private inHand = 0;
  private roomWaiters: (() => void)[] = [];

  constructor(
    private readonly consumer: Consumer,
    private readonly subscription: SubscribeOptions,
    private readonly options: GroupConsumerOptions,
  ) {
    this.calls = new GroupCommit(
      async (slices) => {
        await subscription.handler(slices.length === 1 ? slices[0]! : slices.flat());
        return slices.map((): void => undefined);
      },
      { gatherTurn: true },
    );
    this.sliceSize = Math.max(1, subscription.maxBatch ?? 500);
    this.maxInHand = Math.max(MIN_PREFETCH, PREFETCH_BATCHES * this.sliceSize);
  }

  /** Joins the group and starts consuming; with `waitForPosition`, resolves only once the assigned partitions' start offsets are fixed. */
  async start(fromBeginning: boolean, waitForPosition: boolean, positionTimeoutMs: number): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.subscription.topic], fromBeginning });
    // After a (re)join kafkajs fetches again from the committed offsets: records in hand would
    // come twice, and partitions now someone else's must not be handled or committed here.
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.onJoin(payload.memberAssignment[this.subscription.topic] ?? []));
    // kafkajs resolves a new group's start offsets (earliest/latest) inside its first fetch after
    // the join, so only that fetch's end guarantees that a message published now will be seen.
    const positioned = waitForPosition ? this.firstFetch(positionTimeoutMs) : Promise.resolve();
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Batches of different partitions may run side by side (keys never span partitions, so each
      // key's order holds); handlers take their own locks in the database. 1 is one at a time.
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
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

  /** Queues the batch on its partition's lane and returns, so kafkajs fetches again; waits only while too much is in hand. */
  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.reportLag(batch.partition, batch.offsetLagLow());
    if (this.stopping || batch.messages.length === 0) return;
    const lane = this.laneOf(batch.partition);
    for (const record of batch.messages) lane.queue.push({ offset: record.offset, message: this.decode(batch.partition, record) });
    lane.highWatermark = batch.highWatermark;
    this.inHand += batch.messages.length;
    // The next fetch of this partition starts after these records; they are committed once handled.
    payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    this.startLane(lane);
    while (this.inHand > this.maxInHand && !this.stopping && payload.isRunning()) {
      await this.pause(1_000, true);
      // Keeps the membership alive while a slow handler holds the fetch loop here.
      await payload.heartbeat();
    }
  }

  private laneOf(partition: number): PartitionLane {
    const lane = this.lanes.get(partition);
    if (lane && !lane.revoked) return lane;
    const fresh: PartitionLane = { partition, queue: [], highWatermark: '0', revoked: false, running: undefined };
    this.lanes.set(partition, fresh);
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
      this.release(taken.length);
    }
  }

  private async commit(lane: PartitionLane, lastOffset: string): Promise<void> {
    const next = BigInt(lastOffset) + 1n;
    try {
      await this.consumer.commitOffsets([{ topic: this.subscription.topic, partition: lane.partition, offset: next.toString() }]);
      this.reportLag(lane.partition, String(BigInt(lane.highWatermark) - next));
    } catch (error) {
      // Handled, not committed: after a rebalance the partition's owner gets these again (handlers are idempotent).
      this.options.logger?.warn({ group: this.subscription.group, partition: lane.partition, err: error }, 'offset commit failed; these records will be delivered again');
    }
  }

  private onJoin(assigned: readonly number[]): void {
    for (const lane of this.lanes.values()) {
      this.dropQueued(lane);
      if (!assigned.includes(lane.partition)) {
        lane.revoked = true;
        this.lanes.delete(lane.partition);
      }
    }
  }

  private dropQueued(lane: PartitionLane): void {
    this.release(lane.queue.length);
    lane.queue.length = 0;
  }

  private release(records: number): void {
    this.inHand -= records;
    if (this.inHand <= this.maxInHand) for (const wake of this.roomWaiters.splice(0)) wake();
  }

  /** Until `ms` pass or the consumer stops, whichever comes first; with `orRoom`, also until room is made in hand. */
  private pause(ms: number, orRoom = false): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers = this.sleepers.filter((w) => w !== wake);
        this.roomWaiters = this.roomWaiters.filter((w) => w !== wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.push(wake);
      if (orRoom) this.roomWaiters.push(wake);
    });
  }

  private reportLag(partition: number, lag: string): void {
    this.options.onLag?.(this.subscription.group, this.subscription.topic, partition, Number(lag));
  }

  /** True once the handler took the slice; false when the slice must stay uncommitted (stopping, partition lost). */
  private async handleWithRetry(slice: readonly DeliveredMessage[], lane: PartitionLane): Promise<boolean> {
    let delayMs = this.options.retryDelayMs;
    for (;;) {
      try {
        await this.calls.submit(slice);
        return true;
      } catch (error) {
        this.options.onHandlerError?.(this.subscription.group, this.subscription.topic, error);
        await this.pause(delayMs);
        delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
        if (this.stopping || lane.revoked) return false;
      }
    }
  }

  /**
   * A record that is not a payload can never be handled: blocking its partition on it forever
   * would stop every order behind it, so it is logged and skipped (committed past).
   */
  private decode(partition: number, record: KafkaMessage): DeliveredMessage | undefined {
    try {
      return fromKafkaMessage(this.subscription.topic, partition, record);
    } catch (error) {
      if (!(error instanceof UndecodableMessageError)) throw error;
      this.options.logger?.error({ group: this.subscription.group, err: error }, 'skipping an undecodable Kafka record');
      return undefined;
    }
  }
}
