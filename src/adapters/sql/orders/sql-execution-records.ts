import type { Price } from '../../../domain/money/price.js';
import type { ExecutionRecords } from '../../../ports/order-records.js';
import type { SqlExecutor } from '../../../ports/sql.js';
import { childFromRow, requiredDecimal, type ChildOrderRow } from './order-rows.js';

interface FillRow {
  exec_id: string;
  order_id: string;
  venue: string;
  child_order_id: string;
  quantity: number | string;
  price: string;
  occurred_at: Date | string;
}

/** Children and fills of several orders in two statements, grouped by order. */
export async function executionRecords(db: SqlExecutor, orderIds: readonly string[]): Promise<Map<string, ExecutionRecords>> {
  const records = new Map<string, ExecutionRecords>(orderIds.map((id) => [id, { children: [], fills: [] }]));
  if (orderIds.length === 0) return records;
  const [children, fills] = await Promise.all([
    db.query<ChildOrderRow>('SELECT * FROM child_orders WHERE parent_order_id = ANY($1::uuid[]) ORDER BY created_at, child_order_id', [orderIds]),
    db.query<FillRow>(
      'SELECT exec_id, order_id, venue, child_order_id, quantity, price, occurred_at FROM fills WHERE order_id = ANY($1::uuid[]) ORDER BY occurred_at, venue, exec_id',
      [orderIds],
    ),
  ]);
  for (const row of children) records.get(row.parent_order_id)?.children.push(childFromRow(row));
  for (const row of fills) {
    records.get(row.order_id)?.fills.push({
      execId: row.exec_id,
      orderId: row.order_id,
      childOrderId: row.child_order_id,
      venue: row.venue,
      quantity: Number(row.quantity),
      price: requiredDecimal(row.price) as Price,
      occurredAt: new Date(row.occurred_at),
    });
  }
  return records;
}
