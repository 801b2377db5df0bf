import { formatDecimal, notional, parseDecimal, PRICE_SCALE, type Money, type Price } from '../money/price.js';
import { isBuy } from '../order/enums.js';
import { APPROVED, deny, type RiskDecision } from './decision.js';
import type { AccountExposure, RiskOrder } from './exposure.js';
import { checkCredit, checkPosition } from './exposure-checks.js';
import { checkDuplicate, checkThrottle } from './flow-checks.js';
import { blockingSwitch, describeScope, type KillSwitch } from './kill-switch.js';
import type { RiskLimits } from './limits.js';

export { RISK_REJECT_CODES, type RiskDecision, type RiskRejectCode } from './decision.js';
export type { RiskLimits } from './limits.js';

/** Everything a decision depends on besides the order and its limits, read at one instant. */
export interface RiskContext {
  readonly knownAccounts: ReadonlySet<string> | 'ANY';
  /** Engaged kill switches (global and this account's). */
  readonly killSwitches: readonly KillSwitch[];
  /** The current reference price (last fair price or mid); null when the market has none. */
  readonly referencePrice: (symbol: string) => Price | null;
  readonly exposure: AccountExposure;
}

export function defaultRiskLimits(): RiskLimits {
  return {
    maxOrderQuantity: 1_000_000,
    maxOrderNotional: parseDecimal('10000000') as Money,
    priceCollarBps: 1000,
    restrictedSymbols: new Set(),
    creditLimit: null,
    maxPosition: null,
    duplicateWindowMs: 0,
    maxOrdersPerSecond: null,
  };
}

/**
 * The pre-trade checks, in the order a risk officer reads them; the first breach decides. Pure:
 * the account's exposure (its time windows taken at the decision's instant, see exposureNeeds)
 * and the engaged switches are inputs.
 */
export function checkPreTrade(order: RiskOrder, limits: RiskLimits, context: RiskContext): RiskDecision {
  const killSwitch = blockingSwitch(context.killSwitches, order.accountId);
  if (killSwitch) return deny('KILL_SWITCH', `${describeScope(killSwitch.target)} engaged by ${killSwitch.engagedBy}: ${killSwitch.reason}`);
  if (context.knownAccounts !== 'ANY' && !context.knownAccounts.has(order.accountId)) return deny('UNKNOWN_ACCOUNT', `account ${order.accountId} is not known`);
  if (limits.restrictedSymbols.has(order.symbol)) return deny('RESTRICTED_SYMBOL', `${order.symbol} is on the restricted list`);
  const flow = checkThrottle(limits, context.exposure) ?? checkDuplicate(order, limits, context.exposure);
  if (flow) return flow;
  if (order.quantity > limits.maxOrderQuantity) return deny('MAX_QUANTITY', `quantity ${order.quantity} exceeds the limit of ${limits.maxOrderQuantity}`);
  const reference = context.referencePrice(order.symbol);
  const price = order.limitPrice ?? reference;
  if (price === null) return deny('NO_REFERENCE_PRICE', `no reference price for ${order.symbol} to value a MARKET order`);
  const value = notional(order.quantity, price);
  if (value > limits.maxOrderNotional) {
    return deny('MAX_NOTIONAL', `notional ${formatDecimal(value)} exceeds the limit of ${formatDecimal(limits.maxOrderNotional)}`);
  }
  const collar = order.limitPrice !== null && reference !== null ? checkCollar(order, order.limitPrice, reference, limits.priceCollarBps) : null;
  return collar ?? checkPosition(order, limits, context.exposure) ?? checkCredit(value, limits, context.exposure, context.referencePrice) ?? APPROVED;
}

/** Only the aggressive side is collared: a passive price far from the market harms nobody. */
function checkCollar(order: RiskOrder, limit: Price, reference: Price, collarBps: number): RiskDecision | null {
  const band = (reference * BigInt(collarBps)) / 10_000n;
  const buy = isBuy(order.side);
  const bound = buy ? reference + band : reference - band;
  const breached = buy ? limit > bound : limit < bound;
  if (!breached) return null;
  const bps = ((limit - reference) * 10_000n * PRICE_SCALE) / reference / PRICE_SCALE;
  return deny(
    'PRICE_COLLAR',
    `limit ${formatDecimal(limit)} is ${bps < 0n ? -bps : bps} bps ${buy ? 'above' : 'below'} the reference price ${formatDecimal(reference)} (collar ${collarBps} bps)`,
  );
}
