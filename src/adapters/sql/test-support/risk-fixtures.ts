import { v7 as uuidv7 } from 'uuid';
import type { OrderStatus, Side } from '../../../domain/order/enums.js';
import type { SqlExecutor } from '../../../ports/sql.js';

export interface OrderFixture {
  orderId?: string;
  accountId: string;
  symbol?: string;
  side?: Side;
  quantity?: number;
  leavesQuantity?: number;
  /** Decimal text; null for a MARKET order. */
  limitPrice?: string | null;
  status?: OrderStatus;
  createdAt?: Date;
}

/** Puts an order row straight into the orders table, in whatever state a test needs. Returns its id. */
export async function insertOrder(db: SqlExecutor, fixture: OrderFixture): Promise<string> {
  const orderId = fixture.orderId ?? uuidv7();
  const quantity = fixture.quantity ?? 100;
  const limitPrice = fixture.limitPrice === undefined ? '100' : fixture.limitPrice;
  const at = (fixture.createdAt ?? new Date()).toISOString();
  await db.query(
    `INSERT INTO orders (order_id, client_order_id, account_id, symbol, side, order_type, quantity, limit_price, time_in_force, status, leaves_quantity, filled_quantity, created_at, updated_at)
     VALUES ($1::uuid, $1::text, $2, $3, $4, $5, $6, $7, 'DAY', $8, $9, $10, $11, $11)`,
    [
      orderId,
      fixture.accountId,
      fixture.symbol ?? 'AAPL',
      fixture.side ?? 'BUY',
      limitPrice === null ? 'MARKET' : 'LIMIT',
      quantity,
      limitPrice,
      fixture.status ?? 'NEW',
      fixture.leavesQuantity ?? quantity,
      quantity - (fixture.leavesQuantity ?? quantity),
      at,
    ],
  );
  return orderId;
}

export async function setPosition(db: SqlExecutor, accountId: string, symbol: string, quantity: number, costBasis: string): Promise<void> {
  await db.query(
    `INSERT INTO positions (account_id, symbol, quantity, cost_basis, realized_pnl, updated_at) VALUES ($1, $2, $3, $4, 0, now())
     ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = EXCLUDED.quantity, cost_basis = EXCLUDED.cost_basis`,
    [accountId, symbol, quantity, costBasis],
  );
}
