import { formatDecimal, notional, type Money, type Price } from '../money/price.js';
import { isBuy } from '../order/enums.js';
import { deny, type RiskDecision } from './decision.js';
import type { AccountExposure, RiskOrder } from './exposure.js';
import type { RiskLimits } from './limits.js';

type ReferencePrice = (symbol: string) => Price | null;

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/**
 * Credit / buying power: what the account has at risk (open orders' leaves at their limit, or
 * the reference price for MARKET orders, plus each position at its market value) plus this order
 * must stay within the credit limit. Both sides count: a conservative measure, never an offset.
 */
export function checkCredit(orderValue: Money, limits: RiskLimits, exposure: AccountExposure, referencePrice: ReferencePrice): RiskDecision | null {
  if (limits.creditLimit === null) return null;
  let used = 0n;
  for (const working of exposure.workingOrders) {
    const price = working.limitPrice ?? referencePrice(working.symbol);
    if (price === null) return deny('CREDIT_LIMIT', `no reference price to value the open MARKET order in ${working.symbol}`);
    used += notional(working.leavesQuantity, price);
  }
  for (const [symbol, holding] of exposure.positions) {
    const mark = referencePrice(symbol);
    // Without a market price a position is worth what it cost.
    used += abs(mark === null ? holding.costBasis : notional(holding.quantity, mark));
  }
  const total = used + orderValue;
  if (total <= limits.creditLimit) return null;
  return deny(
    'CREDIT_LIMIT',
    `exposure ${formatDecimal(total)} (open orders and positions ${formatDecimal(used)} plus this order ${formatDecimal(orderValue)}) exceeds the credit limit of ${formatDecimal(limits.creditLimit)}`,
  );
}

/** Position limit per symbol: |position + same-side working leaves + this order| within the limit. */
export function checkPosition(order: RiskOrder, limits: RiskLimits, exposure: AccountExposure): RiskDecision | null {
  if (limits.maxPosition === null) return null;
  const buy = isBuy(order.side);
  const held = exposure.positions.get(order.symbol)?.quantity ?? 0;
  const working = exposure.workingOrders.filter((w) => w.symbol === order.symbol && isBuy(w.side) === buy).reduce((sum, w) => sum + w.leavesQuantity, 0);
  const projected = held + (buy ? 1 : -1) * (working + order.quantity);
  if (Math.abs(projected) <= limits.maxPosition) return null;
  return deny(
    'POSITION_LIMIT',
    `position in ${order.symbol} could reach ${projected} (held ${held}, working ${working} on this side, this order ${order.quantity}), beyond the limit of ${limits.maxPosition}`,
  );
}
