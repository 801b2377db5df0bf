import { describe, expect, it } from 'vitest';
import { add, decimal, formatDecimal, formatFixed, half, parseDecimal, subtract, sum, times } from '../../web/src/lib/decimal.js';

/** The web page's exact decimals (web/src/lib/decimal.ts): prices and money from the API's strings, never through floats. */
describe('web decimal', () => {
  it('parses and writes back the API’s decimal strings unchanged', () => {
    for (const text of ['0', '150', '150.02', '-15', '0.0952254', '150.02142857', '-0.66737854']) expect(formatDecimal(decimal(text))).toBe(text);
    expect(formatDecimal(decimal('150.10'))).toBe('150.1');
  });

  it('refuses what is not a decimal, or has more digits than it holds', () => {
    for (const text of ['', 'abc', '1e3', '1.', '.5', '1.2.3', '0.1234567890123']) expect(parseDecimal(text)).toBeUndefined();
    expect(() => decimal('NaN')).toThrow('not a decimal');
  });

  it('adds, subtracts and halves exactly where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatDecimal(add(decimal('0.1'), decimal('0.2')))).toBe('0.3');
    expect(formatDecimal(subtract(decimal('150.02'), decimal('150')))).toBe('0.02');
    expect(formatDecimal(half(add(decimal('149.99'), decimal('150.02'))))).toBe('150.005');
    expect(formatDecimal(sum([decimal('-15'), decimal('2.5'), decimal('0.01')]))).toBe('-12.49');
    expect(formatDecimal(sum([]))).toBe('0');
    expect(formatDecimal(times(decimal('0.66666667'), 100n))).toBe('66.666667');
  });

  it('rounds to a number of places half away from zero, keeping the zeros', () => {
    expect(formatFixed(decimal('-13'), 2)).toBe('-13.00');
    expect(formatFixed(decimal('104950'), 2)).toBe('104950.00');
    expect(formatFixed(decimal('0.005'), 2)).toBe('0.01');
    expect(formatFixed(decimal('-0.005'), 2)).toBe('-0.01');
    expect(formatFixed(decimal('-0.004'), 2)).toBe('0.00');
    expect(formatFixed(decimal('66.666667'), 1)).toBe('66.7');
    expect(formatFixed(decimal('2.5'), 0)).toBe('3');
  });
});
