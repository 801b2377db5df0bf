import { parseDecimal, type Money } from '../../domain/money/price.js';
import type { Order } from '../../domain/order/order.js';
import { checkPreTrade, type RiskDecision, type RiskLimits } from '../../domain/risk/pre-trade.js';
import type { RiskSettings } from '../../config/config.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import type { Metrics } from '../../adapters/observability/metrics.js';

export function riskLimitsFrom(settings: RiskSettings): RiskLimits {
  return {
    maxOrderQuantity: settings.maxOrderQuantity,
    maxOrderNotional: parseDecimal(settings.maxOrderNotional) as Money,
    priceCollarBps: settings.priceCollarBps,
    restrictedSymbols: new Set(settings.restrictedSymbols),
    knownAccounts: settings.knownAccounts === 'ANY' ? 'ANY' : new Set(settings.knownAccounts),
  };
}

/** risk-service's pre-trade check: the domain rules against the current reference price. */
export class RiskService implements PreTradeRisk {
  constructor(
    private readonly limits: RiskLimits,
    private readonly marketData: MarketDataView,
    private readonly metrics: Metrics,
  ) {}

  async check(order: Order): Promise<RiskDecision> {
    const decision = checkPreTrade(order, this.limits, { referencePrice: this.marketData.referencePrice(order.symbol) });
    this.metrics.riskDecisions.inc(decision.approved ? { result: 'approved', code: '' } : { result: 'rejected', code: decision.code });
    return decision;
  }
}
