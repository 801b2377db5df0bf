import { describe, expect, it } from 'vitest';
import { parsePrice } from '../money/price.js';
import { validateNewOrder } from './validation.js';

const valid = {
  clientOrderId: 'C-1',
  accountId: 'ACC-1',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: 150.5,
  timeInForce: 'DAY',
};

function fields(input: unknown): string[] {
  const result = validateNewOrder(input);
  return result.ok ? [] : result.errors.map((e) => e.field);
}

describe('validateNewOrder', () => {
  it('accepts the seed order and keeps the price exact', () => {
    const result = validateNewOrder(valid);
    expect(result).toEqual({ ok: true, value: { ...valid, limitPrice: parsePrice('150.5') } });
  });

  it('takes an optional routing strategy, and names the field when it is unknown', () => {
    expect(validateNewOrder({ ...valid, strategy: 'DARK_FIRST' })).toMatchObject({ ok: true, value: { strategy: 'DARK_FIRST' } });
    expect(validateNewOrder({ ...valid, strategy: null })).toEqual({ ok: true, value: { ...valid, limitPrice: parsePrice('150.5') } });
    expect(validateNewOrder({ ...valid, strategy: 'FASTEST' })).toEqual({
      ok: false,
      errors: [{ field: 'strategy', message: 'must be one of BEST_PRICE_FEE_AWARE, SWEEP, SPRAY, DARK_FIRST, POST_PASSIVE' }],
    });
  });

  it('accepts a MARKET order without a price and a price as a decimal string', () => {
    expect(validateNewOrder({ ...valid, orderType: 'MARKET', limitPrice: undefined }).ok).toBe(true);
    expect(validateNewOrder({ ...valid, orderType: 'MARKET', limitPrice: null }).ok).toBe(true);
    expect(validateNewOrder({ ...valid, limitPrice: '0.0001' }).ok).toBe(true);
  });

  it('names every missing field', () => {
    expect(fields({})).toEqual(['clientOrderId', 'accountId', 'symbol', 'side', 'orderType', 'timeInForce', 'quantity']);
  });

  it.each([
    [{ quantity: 0 }, 'quantity'],
    [{ quantity: -5 }, 'quantity'],
    [{ quantity: 2.5 }, 'quantity'],
    [{ quantity: '100' }, 'quantity'],
    [{ quantity: 1_000_000_001 }, 'quantity'],
    [{ limitPrice: undefined }, 'limitPrice'],
    [{ limitPrice: 0 }, 'limitPrice'],
    [{ limitPrice: 150.501 }, 'limitPrice'],
    [{ limitPrice: '0.00001' }, 'limitPrice'],
    [{ limitPrice: true }, 'limitPrice'],
    [{ orderType: 'MARKET' }, 'limitPrice'],
    [{ side: 'buy' }, 'side'],
    [{ orderType: 'STOP' }, 'orderType'],
    [{ timeInForce: 'GTD' }, 'timeInForce'],
    [{ symbol: 'aapl' }, 'symbol'],
    [{ symbol: 42 }, 'symbol'],
    [{ clientOrderId: '' }, 'clientOrderId'],
    [{ accountId: 'has space' }, 'accountId'],
    [{ extra: 1 }, 'extra'],
  ])('refuses %j naming %s', (change, field) => {
    expect(fields({ ...valid, ...change })).toEqual([field]);
  });

  it('says what the tick is', () => {
    const result = validateNewOrder({ ...valid, limitPrice: 10.001 });
    expect(result.ok ? '' : result.errors[0]!.message).toMatch(/0\.01/);
  });

  it.each([null, [], 'text', 42])('refuses a body that is not an object: %j', (body) => {
    expect(fields(body)).toEqual(['body']);
  });
});
