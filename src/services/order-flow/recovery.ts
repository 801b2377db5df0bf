import type { Journal } from '../../ports/journal.js';
import type { QueryModelWriter, StateChanges, WorkingStateLoader } from '../../ports/working-state.js';
import type { RiskControlSnapshot, RiskBook } from '../risk-service/risk-book.js';
import type { LiveOrders } from '../oms-core/live-orders.js';

/** Journal records written to the query model per transaction while recovering. */
const REPLAY_BATCH = 500;

/**
 * Start and restart are one path: the journal records the query model does not hold yet (a
 * crash stopped the write-behind) are written to it, so its tables are the durable state as of
 * the journal's last record. Returns that watermark. Rewriting a record it already holds changes
 * nothing, so a crash during recovery is recovered the same way.
 */
export async function catchUpQueryModel(journal: Journal, writer: QueryModelWriter, decode: (data: Uint8Array) => StateChanges): Promise<number> {
  let last = await writer.watermark();
  let batch: StateChanges[] = [];
  for (const record of journal.readFrom(last)) {
    // Compaction drops only what the query model holds: a gap means records were lost.
    if (record.seq !== last + 1)
      throw new Error(
        `journal starts at seq ${record.seq} but the query model holds records up to ${last} only: records ${last + 1}..${record.seq - 1} are lost`,
      );
    batch.push(decode(record.data));
    last = record.seq;
    if (batch.length >= REPLAY_BATCH) {
      await writer.write(batch, last);
      batch = [];
    }
  }
  if (batch.length > 0) await writer.write(batch, last);
  return last;
}

/**
 * Loads oms-core's and risk-service's working state from the query model into memory. Client
 * keys only of the working orders: the others are found by StoredClientKeys when asked.
 */
export async function loadWorkingState(
  loader: WorkingStateLoader,
  into: { live: LiveOrders; risk: RiskBook },
  controls: RiskControlSnapshot,
  now: Date,
): Promise<void> {
  into.risk.setControls(controls);
  const [working, positions, approvals] = await Promise.all([
    loader.workingOrders(),
    loader.positions(),
    loader.approvalsSince(new Date(now.getTime() - into.risk.approvalHorizonMs)),
  ]);
  const clientKeys = working.map(({ tracked: { order } }) => ({ accountId: order.accountId, clientOrderId: order.clientOrderId, orderId: order.orderId }));
  into.live.load({ working, clientKeys });
  into.risk.load({ working: working.map((w) => w.tracked.order), positions, approvals });
}
