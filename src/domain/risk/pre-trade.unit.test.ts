import { describe, expect, it } from 'vitest';
import { parseDecimal, parsePrice, type Money } from '../money/price.js';
import type { NewOrder } from '../order/order.js';
import { checkPreTrade, defaultRiskLimits, type RiskContext, type RiskLimits } from './pre-trade.js';

const order = (changes: Partial<NewOrder> = {}): NewOrder => ({
  clientOrderId: 'C', accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: parsePrice('100')!, timeInForce: 'DAY', ...changes,
});
const limits = (changes: Partial<RiskLimits> = {}): RiskLimits => ({ ...defaultRiskLimits(), ...changes });
const ref = { referencePrice: parsePrice('100')! };
const code = (o: NewOrder, l: RiskLimits, context: RiskContext = ref) => {
  const d = checkPreTrade(o, l, context);
  return d.approved ? 'OK' : d.code;
};

describe('pre-trade checks', () => {
  it('knows accounts and restricted symbols', () => {
    expect(code(order(), limits({ knownAccounts: new Set(['ACC-1']) }))).toBe('OK');
    expect(code(order({ accountId: 'X' }), limits({ knownAccounts: new Set(['ACC-1']) }))).toBe('UNKNOWN_ACCOUNT');
    expect(code(order(), limits({ restrictedSymbols: new Set(['AAPL']) }))).toBe('RESTRICTED_SYMBOL');
  });

  it('limits quantity at, under and over', () => {
    expect(code(order({ quantity: 500 }), limits({ maxOrderQuantity: 500 }))).toBe('OK');
    expect(code(order({ quantity: 499 }), limits({ maxOrderQuantity: 500 }))).toBe('OK');
    expect(code(order({ quantity: 501 }), limits({ maxOrderQuantity: 500 }))).toBe('MAX_QUANTITY');
  });

  it('limits notional at, under and over, valuing MARKET orders at the reference', () => {
    const max = limits({ maxOrderNotional: parseDecimal('10000') as Money });
    expect(code(order({ quantity: 100 }), max)).toBe('OK');
    expect(code(order({ limitPrice: parsePrice('99.99') }), max)).toBe('OK');
    expect(code(order({ limitPrice: parsePrice('100.01') }), max)).toBe('MAX_NOTIONAL');
    expect(code(order({ orderType: 'MARKET', limitPrice: null, quantity: 101 }), max)).toBe('MAX_NOTIONAL');
    expect(code(order({ orderType: 'MARKET', limitPrice: null }), max, { referencePrice: null })).toBe('NO_REFERENCE_PRICE');
  });

  it('collars only aggressive prices, at the band edge inclusive', () => {
    const collar = limits({ priceCollarBps: 500 });
    expect(code(order({ limitPrice: parsePrice('105') }), collar)).toBe('OK');
    expect(code(order({ limitPrice: parsePrice('105.01') }), collar)).toBe('PRICE_COLLAR');
    expect(code(order({ limitPrice: parsePrice('50') }), collar)).toBe('OK');
    expect(code(order({ side: 'SELL', limitPrice: parsePrice('95') }), collar)).toBe('OK');
    expect(code(order({ side: 'SELL_SHORT', limitPrice: parsePrice('94.99') }), collar)).toBe('PRICE_COLLAR');
    const d = checkPreTrade(order({ limitPrice: parsePrice('110') }), collar, ref);
    expect(d.approved ? '' : d.reason).toBe('limit 110 is 1000 bps above the reference price 100 (collar 500 bps)');
  });
});
