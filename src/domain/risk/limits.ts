import { formatDecimal, parseDecimal, type Money } from '../money/price.js';
import { MAX_ORDER_QUANTITY, SYMBOL_PATTERN, type FieldError, type Validated } from '../order/validation.js';

/** Every limit pre-trade risk applies to one account: the defaults, with the account's overrides. */
export interface RiskLimits {
  readonly maxOrderQuantity: number;
  readonly maxOrderNotional: Money;
  /** How far (in basis points) an aggressive limit price may be from the reference price. */
  readonly priceCollarBps: number;
  readonly restrictedSymbols: ReadonlySet<string>;
  /** Most the account may have at risk: open orders' notional plus its positions' value; null for none. */
  readonly creditLimit: Money | null;
  /** Largest absolute position per symbol, counting working orders on the same side; null for none. */
  readonly maxPosition: number | null;
  /** An identical order less than this many ms from an approved one is a duplicate; 0 turns the check off. */
  readonly duplicateWindowMs: number;
  /** Most orders approved in any one second; null for none. */
  readonly maxOrdersPerSecond: number | null;
}

/** What one account sets; an absent field takes the default. */
export type RiskLimitOverrides = Partial<RiskLimits>;

/** The limits as JSON (API bodies, the risk_limits table): money as decimal strings. */
export interface RiskLimitsJson {
  maxOrderQuantity?: number;
  maxOrderNotional?: string;
  priceCollarBps?: number;
  restrictedSymbols?: string[];
  creditLimit?: string | null;
  maxPosition?: number | null;
  duplicateWindowMs?: number;
  maxOrdersPerSecond?: number | null;
}

export const MAX_DUPLICATE_WINDOW_MS = 3_600_000;
export const MAX_ORDERS_PER_SECOND = 1_000_000;
export const MAX_COLLAR_BPS = 100_000;

/**
 * The account's effective limits. Restricted symbols add to the firm's list rather than replace
 * it: an account's settings can tighten the firm-wide restrictions, never lift them.
 */
export function effectiveLimits(defaults: RiskLimits, overrides: RiskLimitOverrides | undefined): RiskLimits {
  if (!overrides) return defaults;
  const restricted = overrides.restrictedSymbols ? new Set([...defaults.restrictedSymbols, ...overrides.restrictedSymbols]) : defaults.restrictedSymbols;
  return { ...defaults, ...overrides, restrictedSymbols: restricted };
}

export function limitsToJson(limits: RiskLimitOverrides): RiskLimitsJson {
  const json: RiskLimitsJson = {};
  if (limits.maxOrderQuantity !== undefined) json.maxOrderQuantity = limits.maxOrderQuantity;
  if (limits.maxOrderNotional !== undefined) json.maxOrderNotional = formatDecimal(limits.maxOrderNotional);
  if (limits.priceCollarBps !== undefined) json.priceCollarBps = limits.priceCollarBps;
  if (limits.restrictedSymbols !== undefined) json.restrictedSymbols = [...limits.restrictedSymbols].sort();
  if (limits.creditLimit !== undefined) json.creditLimit = limits.creditLimit === null ? null : formatDecimal(limits.creditLimit);
  if (limits.maxPosition !== undefined) json.maxPosition = limits.maxPosition;
  if (limits.duplicateWindowMs !== undefined) json.duplicateWindowMs = limits.duplicateWindowMs;
  if (limits.maxOrdersPerSecond !== undefined) json.maxOrdersPerSecond = limits.maxOrdersPerSecond;
  return json;
}

type Fail = (field: string, message: string) => undefined;
type FieldRule = (value: unknown, field: string, fail: Fail) => RiskLimitOverrides[keyof RiskLimits] | undefined;

const integerIn =
  (min: number, max: number): FieldRule =>
  (value, field, fail) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fail(field, `must be an integer from ${min} to ${max}`);

const money =
  (minExclusiveZero: boolean): FieldRule =>
  (value, field, fail) => {
    const raw = typeof value === 'string' || typeof value === 'number' ? parseDecimal(value) : undefined;
    if (raw === undefined) return fail(field, 'must be a decimal number with at most 8 decimal places');
    if (minExclusiveZero ? raw <= 0n : raw < 0n) return fail(field, minExclusiveZero ? 'must be greater than 0' : 'must not be negative');
    return raw as Money;
  };

/** null is a value here: "no limit", as opposed to an absent field, which takes the default. */
const orNoLimit =
  (rule: FieldRule): FieldRule =>
  (value, field, fail) =>
    value === null ? null : rule(value, field, fail);

const symbols: FieldRule = (value, field, fail) => {
  if (!Array.isArray(value)) return fail(field, 'must be an array of symbols');
  const bad = value.findIndex((s) => typeof s !== 'string' || !SYMBOL_PATTERN.test(s));
  return bad >= 0 ? fail(`${field}[${bad}]`, 'must be 1 to 12 upper-case letters, digits or dots, starting with a letter') : new Set(value as string[]);
};

const RULES: Readonly<Record<keyof RiskLimits, FieldRule>> = {
  maxOrderQuantity: integerIn(1, MAX_ORDER_QUANTITY),
  maxOrderNotional: money(true),
  priceCollarBps: integerIn(1, MAX_COLLAR_BPS),
  restrictedSymbols: symbols,
  creditLimit: orNoLimit(money(false)),
  maxPosition: orNoLimit(integerIn(0, Number.MAX_SAFE_INTEGER)),
  duplicateWindowMs: integerIn(0, MAX_DUPLICATE_WINDOW_MS),
  maxOrdersPerSecond: orNoLimit(integerIn(1, MAX_ORDERS_PER_SECOND)),
};

/** Checks a set of overrides (an API body, a stored row), naming every bad field at once. */
export function validateLimitOverrides(input: unknown): Validated<RiskLimitOverrides> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  const errors: FieldError[] = [];
  const fail: Fail = (field, message) => void errors.push({ field, message });
  const overrides: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    const rule = (RULES as Readonly<Record<string, FieldRule>>)[field];
    if (!rule) {
      fail(field, 'is not a known limit');
      continue;
    }
    if (value === undefined) continue;
    const parsed = rule(value, field, fail);
    if (parsed !== undefined) overrides[field] = parsed;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: overrides as RiskLimitOverrides };
}
