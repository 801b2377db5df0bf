import type { Logger } from '../ports/logger.js';
import type { ServiceMetrics } from '../ports/metrics.js';
import { reportsShares } from '../domain/order/child-order.js';
import type { VenueExecutionReport } from '../ports/venue-gateway.js';

/**
 * A venue's ExecutionReport whose ClOrdID names no child order this OMS holds (never placed by
 * it, or its order final and no longer in memory). It changes nothing. A fill in it is an error,
 * counted for the alert: shares changed hands that no order or position shows.
 */
export function unattributedExecution(report: VenueExecutionReport, logger: Logger, metrics: Pick<ServiceMetrics, 'fillsUnattributed'>): void {
  const { venue, clOrdId, execId, execType } = report;
  if (!reportsShares(report)) {
    logger.warn({ venue, clOrdId, execId, execType }, 'ExecutionReport for an unknown ClOrdID ignored');
    return;
  }
  logger.error(
    { venue, clOrdId, execId, lastQty: report.lastQty, lastPx: report.lastPx },
    'venue fill for a ClOrdID this OMS does not hold: in no order or position; check it with the venue',
  );
  metrics.fillsUnattributed.inc({ venue });
}
