import type { Money, Price } from '../../../domain/money/price.js';
import type { Side } from '../../../domain/order/enums.js';
import type { AccountExposure, Holding, RecentOrder, RiskOrder, WorkingOrder } from '../../../domain/risk/exposure.js';
import type { RiskLimitOverrides } from '../../../domain/risk/limits.js';
import type { KillSwitch } from '../../../domain/risk/kill-switch.js';
import type { SqlClient, SqlExecutor } from '../../../ports/sql.js';
import type { ExposureRequest, RecordedDecision, RiskDecisionSession, RiskDecisionStore } from '../../../ports/risk-store.js';
import { formatDecimalOrNull } from '../../../domain/money/price.js';
import { decimalOrNull, groupBy, requiredDecimal } from '../orders/order-rows.js';
import { riskDecisionsInsert } from '../orders/order-statements.js';
import { killSwitchFromRow, overridesFromJson, type KillSwitchRow } from './risk-rows.js';

/** Statuses in which an order may still trade; the same list as the orders_open indexes. */
const OPEN_STATUSES = `('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE')`;

/** Pre-trade decisions on PGlite or PostgreSQL: per-account advisory locks, batched reads and writes. */
export class SqlRiskDecisionStore implements RiskDecisionStore {
  constructor(private readonly db: SqlClient) {}

  forAccounts<T>(accountIds: readonly string[], work: (session: RiskDecisionSession) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      // PGlite has one connection, so its transaction already excludes every other; PostgreSQL
      // takes the locks in key order, so instances locking overlapping accounts cannot deadlock.
      // A statement of its own: the reads after it must see what the previous holder committed.
      if (this.db.kind === 'postgres') {
        await tx.query(
          `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended('risk-account:' || a, 0) AS k FROM unnest($1::text[]) AS a ORDER BY k) AS keys`,
          [accountIds],
        );
      }
      return work(new SqlRiskDecisionSession(tx));
    });
  }
}

class SqlRiskDecisionSession implements RiskDecisionSession {
  constructor(private readonly tx: SqlExecutor) {}

  /** Overrides and kill switches in one round trip. */
  async controls(accountIds: readonly string[]): Promise<{ overrides: ReadonlyMap<string, RiskLimitOverrides>; killSwitches: readonly KillSwitch[] }> {
    const rows = await this.tx.query<{ kind: 'limits' | 'switch'; account_id: string; data: Record<string, unknown> }>(
      `SELECT 'limits' AS kind, account_id, limits AS data FROM risk_limits WHERE account_id = ANY($1::text[])
       UNION ALL
       SELECT 'switch', account_id, jsonb_build_object('scope', scope, 'reason', reason, 'engaged_by', engaged_by, 'engaged_at', engaged_at)
       FROM kill_switches WHERE scope = 'GLOBAL' OR account_id = ANY($1::text[])`,
      [accountIds],
    );
    const overrides = new Map<string, RiskLimitOverrides>();
    const killSwitches: KillSwitch[] = [];
    for (const row of rows) {
      if (row.kind === 'limits') overrides.set(row.account_id, overridesFromJson(row.data));
      else killSwitches.push(killSwitchFromRow({ ...(row.data as Omit<KillSwitchRow, 'account_id'>), account_id: row.account_id }));
    }
    return { overrides, killSwitches };
  }

  async exposure(requests: readonly ExposureRequest[], deciding: readonly RiskOrder[]): Promise<Map<string, AccountExposure>> {
    const ids = deciding.map((o) => o.orderId);
    const holders = requests.filter((r) => r.holdings).map((r) => r.accountId);
    const [working, positions, twins, approvals] = await Promise.all([
      this.workingOrders(holders, ids),
      this.positions(holders),
      this.possibleDuplicates(requests, deciding),
      this.approvalCounts(requests, ids),
    ]);
    const result = new Map<string, AccountExposure>();
    for (const { accountId } of requests) {
      result.set(accountId, {
        workingOrders: working.get(accountId) ?? [],
        positions: positions.get(accountId) ?? new Map(),
        recentOrders: twins.get(accountId) ?? [],
        approvalsInWindow: approvals.get(accountId) ?? 0,
      });
    }
    return result;
  }

  /** Open orders, and PENDING_NEW ones only once approved: an order not yet decided is not exposure. */
  private async workingOrders(accountIds: readonly string[], deciding: readonly string[]): Promise<Map<string, WorkingOrder[]>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.tx.query<{
      order_id: string;
      account_id: string;
      symbol: string;
      side: Side;
      leaves_quantity: number | string;
      limit_price: string | null;
    }>(
      `SELECT o.order_id, o.account_id, o.symbol, o.side, o.leaves_quantity, o.limit_price FROM orders o
       WHERE o.account_id = ANY($1::text[]) AND o.status IN ${OPEN_STATUSES} AND o.leaves_quantity > 0 AND o.order_id <> ALL($2::uuid[])
         AND (o.status <> 'PENDING_NEW' OR EXISTS (SELECT 1 FROM risk_checks r WHERE r.order_id = o.order_id AND r.approved))`,
      [accountIds, deciding],
    );
    return groupBy(
      rows,
      (row) => row.account_id,
      (row) => ({
        orderId: row.order_id,
        symbol: row.symbol,
        side: row.side,
        leavesQuantity: Number(row.leaves_quantity),
        limitPrice: decimalOrNull(row.limit_price) as Price | null,
      }),
    );
  }

  private async positions(accountIds: readonly string[]): Promise<Map<string, Map<string, Holding>>> {
    const result = new Map<string, Map<string, Holding>>();
    if (accountIds.length === 0) return result;
    const rows = await this.tx.query<{ account_id: string; symbol: string; quantity: number | string; cost_basis: string }>(
      'SELECT account_id, symbol, quantity, cost_basis FROM positions WHERE account_id = ANY($1::text[]) AND quantity <> 0',
      [accountIds],
    );
    for (const row of rows) {
      const holdings = result.get(row.account_id) ?? new Map<string, Holding>();
      holdings.set(row.symbol, { quantity: Number(row.quantity), costBasis: requiredDecimal(row.cost_basis) as Money });
      result.set(row.account_id, holdings);
    }
    return result;
  }

  /** Approvals with the very terms of an order being decided: only those can be its duplicates. */
  private async possibleDuplicates(requests: readonly ExposureRequest[], deciding: readonly RiskOrder[]): Promise<Map<string, RecentOrder[]>> {
    const since = new Map(requests.filter((r) => r.duplicatesSince !== null).map((r) => [r.accountId, r.duplicatesSince!]));
    const orders = deciding.filter((o) => since.has(o.accountId));
    if (orders.length === 0) return new Map();
    const rows = await this.tx.query<{
      order_id: string;
      account_id: string;
      symbol: string;
      side: Side;
      quantity: number | string;
      limit_price: string | null;
      order_created_at: Date | string;
    }>(
      `SELECT DISTINCT r.order_id, r.account_id, r.symbol, r.side, r.quantity, r.limit_price, r.order_created_at
       FROM risk_checks r
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::numeric[], $6::timestamptz[]) AS t(account_id, symbol, side, quantity, limit_price, since)
         ON r.account_id = t.account_id AND r.symbol = t.symbol AND r.side = t.side AND r.quantity = t.quantity
        AND r.limit_price IS NOT DISTINCT FROM t.limit_price AND r.decided_at > t.since
       WHERE r.approved AND r.order_id <> ALL($7::uuid[])`,
      [
        orders.map((o) => o.accountId),
        orders.map((o) => o.symbol),
        orders.map((o) => o.side),
        orders.map((o) => o.quantity),
        orders.map((o) => formatDecimalOrNull(o.limitPrice)),
        orders.map((o) => since.get(o.accountId)!.toISOString()),
        deciding.map((o) => o.orderId),
      ],
    );
    return groupBy(
      rows,
      (row) => row.account_id,
      (row) => ({
        orderId: row.order_id,
        symbol: row.symbol,
        side: row.side,
        quantity: Number(row.quantity),
        limitPrice: decimalOrNull(row.limit_price) as Price | null,
        createdAt: new Date(row.order_created_at),
      }),
    );
  }

  private async approvalCounts(requests: readonly ExposureRequest[], deciding: readonly string[]): Promise<Map<string, number>> {
    const windows = requests.filter((r) => r.throttleSince !== null);
    if (windows.length === 0) return new Map();
    const rows = await this.tx.query<{ account_id: string; n: number }>(
      `SELECT r.account_id, count(*)::int AS n
       FROM risk_checks r JOIN unnest($1::text[], $2::timestamptz[]) AS w(account_id, since) ON r.account_id = w.account_id AND r.decided_at > w.since
       WHERE r.approved AND r.order_id <> ALL($3::uuid[]) GROUP BY r.account_id`,
      [windows.map((w) => w.accountId), windows.map((w) => w.throttleSince!.toISOString()), deciding],
    );
    return new Map(rows.map((row) => [row.account_id, row.n]));
  }

  async recordDecisions(decisions: readonly RecordedDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    const { text, params } = riskDecisionsInsert(decisions);
    await this.tx.query(text, params);
  }
}
