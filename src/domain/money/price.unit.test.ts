import { describe, expect, it } from 'vitest';
import { averagePrice, formatDecimal, formatDecimalFixed, notional, parseDecimal, parsePrice, type Money } from './price.js';

describe('fixed-point prices', () => {
  it.each([
    ['150.50', 15_050_000_000n],
    [150.5, 15_050_000_000n],
    ['0.00000001', 1n],
    ['-2.5', -250_000_000n],
    ['1e-8', 1n],
    ['1.5E2', 15_000_000_000n],
    ['007', 700_000_000n],
  ])('parses %s exactly', (input, raw) => {
    expect(parseDecimal(input)).toBe(raw);
  });

  it.each(['', 'abc', '1.2.3', '0.000000001', 'NaN', '1e', '--1'])('refuses %j', (input) => {
    expect(parseDecimal(input)).toBeUndefined();
  });

  it('refuses numbers that are not finite and accepts trailing zeros beyond the scale', () => {
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDecimal('1.1000000000')).toBe(110_000_000n);
  });

  it('formats without trailing zeros, or with a minimum of decimals', () => {
    expect(formatDecimal(15_050_000_000n)).toBe('150.5');
    expect(formatDecimal(-1n)).toBe('-0.00000001');
    expect(formatDecimal(0n)).toBe('0');
    expect(formatDecimalFixed(15_050_000_000n)).toBe('150.50');
    expect(formatDecimalFixed(100_000_000n, 2)).toBe('1.00');
  });

  it('computes notional beyond 2^53 exactly', () => {
    expect(formatDecimal(notional(1_000_000_000, parsePrice('99999.99')!))).toBe('99999990000000');
  });

  it('rounds the average price half away from zero at the last unit', () => {
    const total = (notional(1, parsePrice('0.00000001')!) + notional(1, parsePrice('0.00000002')!)) as Money;
    expect(averagePrice(total, 2)).toBe(2n);
    expect(formatDecimal(averagePrice(parseDecimal('100') as Money, 3))).toBe('33.33333333');
    expect(() => averagePrice(0n as Money, 0)).toThrow(RangeError);
  });
});
