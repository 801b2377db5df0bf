import type { Mutable } from '../mutable.js';
import { parseDecimal, type Price } from '../money/price.js';
import { ORDER_TYPES, SIDES, TIMES_IN_FORCE, type OrderType, type Side, type TimeInForce } from './enums.js';
import { STRATEGY_NAMES, type StrategyName } from '../routing/strategy-types.js';
import type { NewOrder, Order, ReplaceTerms } from './order.js';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

export const MAX_ORDER_QUANTITY = 1_000_000_000;
/** Client order ids and account ids: at most this long (a FIX ClOrdID reused on a later day must leave room for its day). */
export const ID_MAX_LENGTH = 64;
export const ID_PATTERN = new RegExp(`^[A-Za-z0-9._:-]{1,${ID_MAX_LENGTH}}$`);
export const ID_RULE = `must be 1 to ${ID_MAX_LENGTH} characters of letters, digits and . _ : -`;
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.]{0,11}$/;
const FIELDS = new Set(['clientOrderId', 'accountId', 'symbol', 'side', 'orderType', 'quantity', 'limitPrice', 'timeInForce', 'strategy']);
/** Reg NMS sub-penny rule: a cent at or above one dollar, a hundredth of a cent below. */
const ONE_DOLLAR = parseDecimal('1')!;
const CENT = parseDecimal('0.01')!;
const HUNDREDTH_CENT = parseDecimal('0.0001')!;

export function tickSizeFor(price: Price): bigint {
  return price >= ONE_DOLLAR ? CENT : HUNDREDTH_CENT;
}

/** Checks a client's order request, reporting every bad field at once. */
export function validateNewOrder(input: unknown): Validated<NewOrder> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  }
  const body = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): undefined => {
    errors.push({ field, message });
    return undefined;
  };
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) fail(key, 'is not a known field');

  const text = (field: string, pattern: RegExp, rule: string): string | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return fail(field, 'is required');
    if (typeof value !== 'string') return fail(field, 'must be a string');
    return pattern.test(value) ? value : fail(field, rule);
  };
  const oneOf = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return fail(field, 'is required');
    return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fail(field, `must be one of ${allowed.join(', ')}`);
  };

  const clientOrderId = text('clientOrderId', ID_PATTERN, ID_RULE);
  const accountId = text('accountId', ID_PATTERN, ID_RULE);
  const symbol = text('symbol', SYMBOL_PATTERN, 'must be 1 to 12 upper-case letters, digits or dots, starting with a letter');
  const side = oneOf<Side>('side', SIDES);
  const orderType = oneOf<OrderType>('orderType', ORDER_TYPES);
  const timeInForce = oneOf<TimeInForce>('timeInForce', TIMES_IN_FORCE);
  const quantity = validateQuantity(body.quantity, fail);
  const limitPrice = validateLimitPrice(body.limitPrice, orderType, fail);
  const strategy = body.strategy === undefined || body.strategy === null ? undefined : oneOf<StrategyName>('strategy', STRATEGY_NAMES);

  if (errors.length > 0) return { ok: false, errors };
  const value: Mutable<NewOrder> = {
    clientOrderId: clientOrderId!,
    accountId: accountId!,
    symbol: symbol!,
    side: side!,
    orderType: orderType!,
    quantity: quantity!,
    limitPrice: limitPrice ?? null,
    timeInForce: timeInForce!,
  };
  if (strategy) value.strategy = strategy;
  return { ok: true, value };
}

type Fail = (field: string, message: string) => undefined;

const REPLACE_FIELDS = new Set(['quantity', 'limitPrice']);

/**
 * A replace request against the order it would change: a new quantity (the order's total, filled
 * shares included, so it must stay above them) and/or a new limit price (LIMIT orders only), with
 * the same rules as a new order. What is not given keeps the order's current value.
 */
export function validateReplace(input: unknown, order: Pick<Order, 'orderType' | 'quantity' | 'limitPrice' | 'filledQuantity'>): Validated<ReplaceTerms> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object' }] };
  const body = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const fail: Fail = (field, message) => (errors.push({ field, message }), undefined);
  for (const key of Object.keys(body)) if (!REPLACE_FIELDS.has(key)) fail(key, 'is not a known field');
  const hasQuantity = body.quantity !== undefined && body.quantity !== null;
  const hasPrice = body.limitPrice !== undefined && body.limitPrice !== null;
  if (!hasQuantity && !hasPrice) fail('body', 'give quantity, limitPrice or both');
  const quantity = hasQuantity ? validateQuantity(body.quantity, fail) : order.quantity;
  if (quantity !== undefined && quantity <= order.filledQuantity) fail('quantity', `must be above the ${order.filledQuantity} shares already filled`);
  const limitPrice = hasPrice ? validateLimitPrice(body.limitPrice, order.orderType, fail) : order.limitPrice;
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { quantity: quantity!, limitPrice: limitPrice ?? null } };
}

function validateQuantity(value: unknown, fail: Fail): number | undefined {
  if (value === undefined || value === null) return fail('quantity', 'is required');
  if (typeof value !== 'number' || !Number.isInteger(value)) return fail('quantity', 'must be an integer number of shares');
  if (value <= 0) return fail('quantity', 'must be greater than 0');
  if (value > MAX_ORDER_QUANTITY) return fail('quantity', `must be at most ${MAX_ORDER_QUANTITY}`);
  return value;
}

function validateLimitPrice(value: unknown, orderType: OrderType | undefined, fail: Fail): Price | undefined {
  const absent = value === undefined || value === null;
  if (orderType === 'MARKET') return absent ? undefined : fail('limitPrice', 'must be absent for a MARKET order');
  if (absent) return orderType === 'LIMIT' ? fail('limitPrice', 'is required for a LIMIT order') : undefined;
  if (typeof value !== 'number' && typeof value !== 'string') return fail('limitPrice', 'must be a decimal number');
  const price = parseDecimal(value);
  if (price === undefined) return fail('limitPrice', 'must be a decimal number with at most 8 decimal places');
  if (price <= 0n) return fail('limitPrice', 'must be greater than 0');
  const tick = tickSizeFor(price as Price);
  if (price % tick !== 0n) return fail('limitPrice', `must be a multiple of the tick size ${tick === CENT ? '0.01' : '0.0001'}`);
  return price as Price;
}
