import type { Logger } from '../../ports/logger.js';
import type { ClientKeyFilter, WorkingStateLoader } from '../../ports/working-state.js';

/**
 * The client keys of orders stored before this start. A client key is idempotent forever (the
 * same (accountId, clientOrderId) always returns the same order), but loading a key per order
 * ever taken made the start read every order (a million: seconds, and hundreds of MB). Keys of
 * orders taken since the start are in LiveOrders; for the others, a key not in memory is looked
 * up by index, unless the filter, read after the start, tells that no stored order holds it.
 * Correct without the filter (every miss is looked up), fast with it.
 */
export class StoredClientKeys {
  private filter: ClientKeyFilter | undefined;
  private stopped = false;

  constructor(
    private readonly source: Pick<WorkingStateLoader, 'orderIdForClientKey' | 'clientKeyFilter'>,
    private readonly logger: Logger,
  ) {}

  /** Reads the filter; until it is read (or if that fails), every key not in memory is looked up. */
  async loadFilter(): Promise<void> {
    const started = performance.now();
    try {
      this.filter = await this.source.clientKeyFilter();
      this.logger.info({ keys: this.filter.size, ms: Math.round(performance.now() - started) }, 'client key filter of the stored orders read');
    } catch (error) {
      // A stop while reading closes the database under the read: nothing to report then.
      if (!this.stopped) this.logger.warn({ err: error }, 'client key filter not read: keys not in memory are looked up in the query model');
    }
  }

  /** Before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
  }

  /** undefined: no order stored before this start holds the key; otherwise the order that does, if any. */
  orderIdFor(accountId: string, clientOrderId: string): Promise<string | undefined> | undefined {
    if (this.filter && !this.filter.mayHold(accountId, clientOrderId)) return undefined;
    return this.source.orderIdForClientKey(accountId, clientOrderId);
  }
}
