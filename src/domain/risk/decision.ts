/** Every reason pre-trade risk rejects an order for; carried over gRPC and into the order's reject reason. */
export const RISK_REJECT_CODES = [
  'UNKNOWN_ACCOUNT',
  'RESTRICTED_SYMBOL',
  'MAX_QUANTITY',
  'MAX_NOTIONAL',
  'NO_REFERENCE_PRICE',
  'PRICE_COLLAR',
  'CREDIT_LIMIT',
  'POSITION_LIMIT',
  'DUPLICATE_ORDER',
  'THROTTLED',
  'KILL_SWITCH',
] as const;
export type RiskRejectCode = (typeof RISK_REJECT_CODES)[number];

/** A denial is an outcome, not an exception. */
export type RiskDecision = { readonly approved: true } | { readonly approved: false; readonly code: RiskRejectCode; readonly reason: string };

export const APPROVED: RiskDecision = { approved: true };

export const deny = (code: RiskRejectCode, reason: string): RiskDecision => ({ approved: false, code, reason });
