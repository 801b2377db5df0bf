import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Topic } from '../../domain/events/topics.js';
import type { DeliveredMessage, SubscribeOptions, Subscription } from '../../ports/event-bus.js';
import type { Logger } from '../observability/logger.js';
import { fromKafkaMessage, UndecodableMessageError } from './kafka-codec.js';
import { GroupCommit } from '../../lib/group-commit.js';
import { WakeSignal } from './wake-signal.js';

export interface GroupConsumerOptions {
  /** First wait before a failed batch is handed to its handler again; doubles up to 5 s. */
  readonly retryDelayMs: number;
  readonly onHandlerError?: ((group: string, topic: Topic, error: unknown) => void) | undefined;
  readonly logger?: Pick<Logger, 'warn' | 'error'> | undefined;
  /** How many partitions' batches one consumer handles at once; default 1. */
  readonly partitionsConcurrently?: number | undefined;
  /** Messages behind the partition's high watermark: at each fetch, and once its batch is handled (a metric). */
  readonly onLag?: ((group: string, topic: Topic, partition: number, lag: number) => void) | undefined;
}

const MAX_RETRY_DELAY_MS = 5000;

/**
 * One subscribe(): a kafkajs consumer in the group, driven by eachBatch with kafkajs' own commits
 * off. Each fetched partition batch goes to the handler in slices of maxBatch, in offset order;
 * a slice's offsets are resolved and committed only after the handler resolved. A slice whose
 * handler throws stays in hand and is retried after a back-off (doubling, capped at 5 s), so
 * nothing behind it in the partition overtakes it; if the consumer stops or loses the partition
 * meanwhile, the slice is left uncommitted and the partition's next owner gets it again.
 * Slices of different partitions that are in hand at once go to the handler as one batch (one
 * call, so one transaction), each partition's messages still in offset order: the broker hands
 * out a few messages per partition per fetch, and a transaction per partition batch each waiting
 * on the one before was what capped a consumer's throughput.
 */
export class KafkaGroupConsumer implements Subscription {
  private stopping = false;
  private readonly backOff = new WakeSignal();
  private stopped: Promise<void> | undefined;
  /** Handler calls: slices waiting while one runs share the next (a failure fails each, and each partition retries its own). */
  private readonly calls: GroupCommit<readonly DeliveredMessage[], void>;

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
  }

  /** Joins the group and starts consuming; with `waitForPosition`, resolves only once the assigned partitions' start offsets are fixed. */
  async start(fromBeginning: boolean, waitForPosition: boolean, positionTimeoutMs: number): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.subscription.topic], fromBeginning });
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

  /** Stops fetching, lets the slice in hand finish and commit, then leaves the group. */
  stop(): Promise<void> {
    this.stopping = true;
    this.backOff.wake();
    this.stopped ??= this.consumer.disconnect();
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

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const size = Math.max(1, this.subscription.maxBatch ?? 500);
    this.reportLag(batch.partition, batch.offsetLagLow());
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!this.mayContinue(payload)) return;
      const records = batch.messages.slice(start, start + size);
      const slice = this.decode(batch.partition, records);
      if (slice.length > 0 && !(await this.handleWithRetry(slice, payload))) return;
      payload.resolveOffset(records[records.length - 1]!.offset);
      // Commits exactly what was resolved (kafkajs moves past trailing control records itself).
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      await payload.heartbeat();
    }
    this.reportLag(batch.partition, batch.offsetLag());
  }

  private reportLag(partition: number, lag: string): void {
    this.options.onLag?.(this.subscription.group, this.subscription.topic, partition, Number(lag));
  }

  /** True once the handler took the slice; false when the slice must stay uncommitted (stopping, partition lost). */
  private async handleWithRetry(slice: readonly DeliveredMessage[], payload: EachBatchPayload): Promise<boolean> {
    let delayMs = this.options.retryDelayMs;
    for (;;) {
      try {
        await this.calls.submit(slice);
        return true;
      } catch (error) {
        this.options.onHandlerError?.(this.subscription.group, this.subscription.topic, error);
        await this.backOff.wait(delayMs);
        delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
        if (!this.mayContinue(payload)) return false;
        // Keeps the membership alive through long back-offs; throws (and kafkajs rejoins) on a rebalance.
        await payload.heartbeat();
      }
    }
  }

  private mayContinue(payload: EachBatchPayload): boolean {
    return !this.stopping && payload.isRunning() && !payload.isStale();
  }

  /**
   * A record that is not a payload can never be handled: blocking its partition on it forever
   * would stop every order behind it, so it is logged and skipped (committed past).
   */
  private decode(partition: number, records: readonly KafkaMessage[]): DeliveredMessage[] {
    const slice: DeliveredMessage[] = [];
    for (const record of records) {
      try {
        slice.push(fromKafkaMessage(this.subscription.topic, partition, record));
      } catch (error) {
        if (!(error instanceof UndecodableMessageError)) throw error;
        this.options.logger?.error({ group: this.subscription.group, err: error }, 'skipping an undecodable Kafka record');
      }
    }
    return slice;
  }
}
