import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../money/price.js';
import { effectiveLimits, limitsToJson, validateLimitOverrides } from './limits.js';
import { defaultRiskLimits } from './pre-trade.js';

const fields = (input: unknown): string[] => {
  const result = validateLimitOverrides(input);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('risk limit overrides', () => {
  it('reads every limit, money as decimal strings or numbers, null as "no limit"', () => {
    const result = validateLimitOverrides({
      maxOrderQuantity: 500,
      maxOrderNotional: '250000.5',
      priceCollarBps: 200,
      restrictedSymbols: ['TSLA', 'BRK.B'],
      creditLimit: 1000000,
      maxPosition: null,
      duplicateWindowMs: 2000,
      maxOrdersPerSecond: 50,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.maxOrderNotional).toBe(parseDecimal('250000.5'));
    expect(result.value.maxPosition).toBeNull();
    expect(limitsToJson(result.value)).toEqual({
      maxOrderQuantity: 500,
      maxOrderNotional: '250000.5',
      priceCollarBps: 200,
      restrictedSymbols: ['BRK.B', 'TSLA'],
      creditLimit: '1000000',
      maxPosition: null,
      duplicateWindowMs: 2000,
      maxOrdersPerSecond: 50,
    });
    expect(validateLimitOverrides(limitsToJson(result.value))).toEqual(result);
  });

  it('names every bad field at once', () => {
    expect(
      fields({
        maxOrderQuantity: 0,
        maxOrderNotional: '1.123456789',
        priceCollarBps: 1.5,
        restrictedSymbols: ['AAPL', 'bad'],
        creditLimit: '-1',
        maxPosition: -1,
        duplicateWindowMs: 'soon',
        maxOrdersPerSecond: 0,
        colour: 'red',
      }),
    ).toEqual([
      'maxOrderQuantity',
      'maxOrderNotional',
      'priceCollarBps',
      'restrictedSymbols[1]',
      'creditLimit',
      'maxPosition',
      'duplicateWindowMs',
      'maxOrdersPerSecond',
      'colour',
    ]);
    expect(fields([])).toEqual(['body']);
    expect(fields({ maxOrderNotional: 0 })).toEqual(['maxOrderNotional']);
    expect(fields({ maxOrderNotional: null })).toEqual(['maxOrderNotional']);
    expect(fields({})).toEqual([]);
  });

  it('overrides the defaults field by field, adding restricted symbols to the firm list', () => {
    const defaults = { ...defaultRiskLimits(), restrictedSymbols: new Set(['GME']) };
    const merged = effectiveLimits(defaults, { maxOrderQuantity: 10, restrictedSymbols: new Set(['TSLA']), creditLimit: null });
    expect(merged.maxOrderQuantity).toBe(10);
    expect(merged.priceCollarBps).toBe(defaults.priceCollarBps);
    expect([...merged.restrictedSymbols].sort()).toEqual(['GME', 'TSLA']);
    expect(effectiveLimits(defaults, undefined)).toBe(defaults);
  });
});
