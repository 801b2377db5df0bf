import { formatDecimal, notional, parseDecimal, PRICE_SCALE, type Money, type Price } from '../money/price.js';
import { isBuy } from '../order/enums.js';
import type { NewOrder } from '../order/order.js';

export interface RiskLimits {
  readonly maxOrderQuantity: number;
  readonly maxOrderNotional: Money;
  /** How far (in basis points) an aggressive limit price may be from the reference price. */
  readonly priceCollarBps: number;
  readonly restrictedSymbols: ReadonlySet<string>;
  readonly knownAccounts: ReadonlySet<string> | 'ANY';
}

export interface RiskContext {
  /** The current reference price (last fair price or mid); null when the market has none. */
  readonly referencePrice: Price | null;
}

export const RISK_REJECT_CODES = ['UNKNOWN_ACCOUNT', 'RESTRICTED_SYMBOL', 'MAX_QUANTITY', 'MAX_NOTIONAL', 'NO_REFERENCE_PRICE', 'PRICE_COLLAR'] as const;
export type RiskRejectCode = (typeof RISK_REJECT_CODES)[number];

/** A denial is an outcome, not an exception. */
export type RiskDecision = { readonly approved: true } | { readonly approved: false; readonly code: RiskRejectCode; readonly reason: string };

export function defaultRiskLimits(): RiskLimits {
  return {
    maxOrderQuantity: 1_000_000,
    maxOrderNotional: parseDecimal('10000000') as Money,
    priceCollarBps: 1000,
    restrictedSymbols: new Set(),
    knownAccounts: 'ANY',
  };
}

const deny = (code: RiskRejectCode, reason: string): RiskDecision => ({ approved: false, code, reason });

/** The first pre-trade checks, in the order a risk officer reads them; the first breach decides. */
export function checkPreTrade(order: NewOrder, limits: RiskLimits, context: RiskContext): RiskDecision {
  if (limits.knownAccounts !== 'ANY' && !limits.knownAccounts.has(order.accountId)) return deny('UNKNOWN_ACCOUNT', `account ${order.accountId} is not known`);
  if (limits.restrictedSymbols.has(order.symbol)) return deny('RESTRICTED_SYMBOL', `${order.symbol} is on the restricted list`);
  if (order.quantity > limits.maxOrderQuantity) return deny('MAX_QUANTITY', `quantity ${order.quantity} exceeds the limit of ${limits.maxOrderQuantity}`);
  const price = order.limitPrice ?? context.referencePrice;
  if (price === null) return deny('NO_REFERENCE_PRICE', `no reference price for ${order.symbol} to value a MARKET order`);
  const value = notional(order.quantity, price);
  if (value > limits.maxOrderNotional) {
    return deny('MAX_NOTIONAL', `notional ${formatDecimal(value)} exceeds the limit of ${formatDecimal(limits.maxOrderNotional)}`);
  }
  if (order.limitPrice !== null && context.referencePrice !== null) return checkCollar(order, order.limitPrice, context.referencePrice, limits.priceCollarBps);
  return { approved: true };
}

/** Only the aggressive side is collared: a passive price far from the market harms nobody. */
function checkCollar(order: NewOrder, limit: Price, reference: Price, collarBps: number): RiskDecision {
  const band = (reference * BigInt(collarBps)) / 10_000n;
  const buy = isBuy(order.side);
  const bound = buy ? reference + band : reference - band;
  const breached = buy ? limit > bound : limit < bound;
  if (!breached) return { approved: true };
  const bps = ((limit - reference) * 10_000n * PRICE_SCALE) / reference / PRICE_SCALE;
  return deny(
    'PRICE_COLLAR',
    `limit ${formatDecimal(limit)} is ${bps < 0n ? -bps : bps} bps ${buy ? 'above' : 'below'} the reference price ${formatDecimal(reference)} (collar ${collarBps} bps)`,
  );
}
