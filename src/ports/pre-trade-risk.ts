import type { RiskDecision } from '../domain/risk/pre-trade.js';
import type { Order } from '../domain/order/order.js';

/** The synchronous pre-trade check oms-core asks of risk-service (in process, or over gRPC). */
export interface PreTradeRisk {
  check(order: Order): Promise<RiskDecision>;
}
