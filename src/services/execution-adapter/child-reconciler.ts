import type { Logger } from '../../ports/logger.js';
import type { LiveChild } from '../../ports/child-orders.js';

/**
 * After each logon to a venue, asks the venue for the status of every child order we believe is
 * live there. A venue that no longer knows an order (it restarted without its book) answers
 * "rejected: unknown order" (UNKNOWN_ORDER): oms-core re-places what the child left at the same
 * venue, without spending a routing attempt (see domain/order/lost-child.ts).
 */
export class ChildReconciler {
  constructor(
    private readonly deps: {
      liveChildren: (venue: string) => Promise<LiveChild[]>;
      requestStatus: (venue: string, child: LiveChild) => void;
      logger: Logger;
    },
  ) {}

  readonly reconcile = (venue: string): void => {
    this.deps
      .liveChildren(venue)
      .then((children) => {
        for (const child of children) this.deps.requestStatus(venue, child);
        if (children.length > 0) this.deps.logger.info({ venue, children: children.length }, 'asked venue for the status of live child orders');
      })
      .catch((error: unknown) => this.deps.logger.error({ venue, err: error }, 'child order reconciliation failed'));
  };
}
