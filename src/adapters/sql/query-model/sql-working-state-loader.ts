import { hash } from 'node:crypto';
import type { Price } from '../../../domain/money/price.js';
import type { Side } from '../../../domain/order/enums.js';
import type { Position } from '../../../domain/positions/position.js';
import { fillKey } from '../../../ports/order-store.js';
import type { SqlClient } from '../../../ports/sql.js';
import type { ClientKeyFilter, RecentApproval, WorkingOrderState, WorkingStateLoader } from '../../../ports/working-state.js';
import {
  childFromRow,
  decimalOrNull,
  groupBy,
  orderFromRow,
  ORDER_COLUMNS,
  positionFromRow,
  type ChildOrderRow,
  type OrderRow,
  type PositionRow,
} from '../orders/order-rows.js';
import { CHILD_COLUMNS } from '../orders/order-statements.js';

/** Orders not yet final: oms-core goes on with these after a restart. */
const WORKING = `('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE', 'DONE_FOR_DAY')`;
const WORKING_ORDER_IDS = `SELECT order_id FROM orders WHERE status IN ${WORKING}`;

type TrackedOrderRow = OrderRow & { route_requested: number; route_decided: number };

interface ApprovalRow {
  order_id: string;
  account_id: string;
  symbol: string;
  side: string;
  quantity: number | string;
  limit_price: string | null;
  order_created_at: Date | string;
  decided_at: Date | string;
}

/**
 * The working state read back from the query model at start, each part in a few set-based
 * queries over the whole tables (no query per order).
 */
export class SqlWorkingStateLoader implements WorkingStateLoader {
  constructor(private readonly db: SqlClient) {}

  async workingOrders(): Promise<WorkingOrderState[]> {
    // One transaction (one round trip on PGlite): the children and fills are those of the same orders.
    const [orderRows, childRows, fillRows] = await this.db.batch([
      { text: `SELECT ${ORDER_COLUMNS}, route_requested, route_decided FROM orders WHERE status IN ${WORKING}` },
      { text: `SELECT ${CHILD_COLUMNS} FROM child_orders WHERE parent_order_id IN (${WORKING_ORDER_IDS}) ORDER BY created_at, child_order_id` },
      { text: `SELECT order_id, venue, exec_id FROM fills WHERE order_id IN (${WORKING_ORDER_IDS})` },
    ]);
    const children = groupBy(
      (childRows as unknown as ChildOrderRow[]).map(childFromRow),
      (child) => child.parentOrderId,
      (child) => child,
    );
    const fillKeys = groupBy(
      fillRows as unknown as { order_id: string; venue: string; exec_id: string }[],
      (row) => row.order_id,
      (row) => fillKey(row.venue, row.exec_id),
    );
    return (orderRows as unknown as TrackedOrderRow[]).map((row) => ({
      tracked: { order: orderFromRow(row), routing: { requested: row.route_requested, decided: row.route_decided } },
      children: children.get(row.order_id) ?? [],
      fillKeys: fillKeys.get(row.order_id) ?? [],
    }));
  }

  async positions(): Promise<Position[]> {
    const rows = await this.db.query<PositionRow>('SELECT account_id, symbol, quantity, cost_basis, realized_pnl FROM positions');
    return rows.map(positionFromRow);
  }

  /** risk_checks keeps what the windows compare: the order's terms and arrival, and the decision time. */
  async approvalsSince(since: Date): Promise<RecentApproval[]> {
    const rows = await this.db.query<ApprovalRow>(
      `SELECT order_id, account_id, symbol, side, quantity, limit_price, order_created_at, decided_at
       FROM risk_checks WHERE approved AND decided_at > $1::timestamptz ORDER BY decided_at, order_id`,
      [since.toISOString()],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      order: {
        orderId: row.order_id,
        symbol: row.symbol,
        side: row.side as Side,
        quantity: Number(row.quantity),
        limitPrice: decimalOrNull(row.limit_price) as Price | null,
        createdAt: new Date(row.order_created_at),
      },
      decidedAt: new Date(row.decided_at),
    }));
  }

  /** The order holding a client key, by the unique index on (account_id, client_order_id). */
  async orderIdForClientKey(accountId: string, clientOrderId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ order_id: string }>('SELECT order_id FROM orders WHERE account_id = $1 AND client_order_id = $2', [
      accountId,
      clientOrderId,
    ]);
    return row?.order_id;
  }

  /**
   * A filter over every stored order's client key: 4 bytes of its MD5 each (4 MB for a million
   * orders, whose keys as strings took 3.3 s of a start to read and a Map of a million entries),
   * read in slices in order_id order so that the order flow's lookups and writes run between two.
   */
  async clientKeyFilter(): Promise<ClientKeyFilter> {
    const slices: Buffer[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const [slice] = await this.db.query<{ last: string | null; digests: string | null }>(
        `SELECT (array_agg(order_id ORDER BY order_id DESC))[1]::text AS last, string_agg(${DIGEST_SQL}, '') AS digests
         FROM (SELECT order_id, account_id, client_order_id FROM orders WHERE order_id > $1::uuid ORDER BY order_id LIMIT ${FILTER_SLICE}) keys`,
        [after],
      );
      if (!slice?.last || slice.digests === null) break;
      slices.push(Buffer.from(slice.digests, 'hex'));
      after = slice.last;
    }
    return new DigestFilter(Buffer.concat(slices));
  }
}

/** Orders per slice of the client key filter: some 50-100 ms of PGlite's thread each (a million took 3 s in all). */
const FILTER_SLICE = 25_000;
/** The first 4 bytes of the MD5 of the key, as hex: what clientKeyDigest computes. */
const DIGEST_SQL = `substr(md5(account_id || chr(1) || client_order_id), 1, 8)`;

/**
 * The same digest as DIGEST_SQL (MD5 over the UTF-8 bytes, as PostgreSQL's md5() of a UTF-8 text).
 * One-shot hash to hex: 1.2 µs, where createHash().update().digest() took 22 µs (once per new order).
 */
function clientKeyDigest(accountId: string, clientOrderId: string): number {
  return parseInt(hash('md5', `${accountId}\u0001${clientOrderId}`, 'hex').slice(0, 8), 16);
}

/**
 * Sorted digests, searched by bisection: no false negatives; a key whose digest some stored key
 * shares (about 1 in 4,300 new keys with a million stored) is looked up in the table.
 */
class DigestFilter implements ClientKeyFilter {
  private readonly digests: Uint32Array;

  constructor(bytes: Buffer) {
    this.digests = new Uint32Array(bytes.length / 4);
    for (let i = 0; i < this.digests.length; i++) this.digests[i] = bytes.readUInt32BE(i * 4);
    this.digests.sort();
  }

  get size(): number {
    return this.digests.length;
  }

  mayHold(accountId: string, clientOrderId: string): boolean {
    const digest = clientKeyDigest(accountId, clientOrderId);
    let low = 0;
    let high = this.digests.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.digests[mid]! < digest) low = mid + 1;
      else high = mid;
    }
    return low < this.digests.length && this.digests[low] === digest;
  }
}
