import { describe, expect, it } from 'vitest';
import { parseDecimal, parsePrice, type Money, type Price } from '../money/price.js';
import {
  EMPTY_EXPOSURE,
  exposureNeeds,
  withApprovedOrder,
  type AccountExposure,
  type Holding,
  type RecentOrder,
  type RiskOrder,
  type WorkingOrder,
} from './exposure.js';
import type { KillSwitch } from './kill-switch.js';
import type { RiskLimits } from './limits.js';
import { checkPreTrade, defaultRiskLimits, type RiskContext } from './pre-trade.js';

const px = (text: string): Price => parsePrice(text)!;
const money = (text: string): Money => parseDecimal(text) as Money;
const T0 = new Date('2025-01-02T15:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

const order = (changes: Partial<RiskOrder> = {}): RiskOrder => ({
  orderId: 'O-NEW',
  clientOrderId: 'C',
  accountId: 'ACC-1',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: px('100'),
  timeInForce: 'DAY',
  createdAt: T0,
  ...changes,
});
const limits = (changes: Partial<RiskLimits> = {}): RiskLimits => ({ ...defaultRiskLimits(), ...changes });
const REFERENCES: Record<string, string> = { AAPL: '100', MSFT: '50' };
const context = (changes: Partial<RiskContext> = {}): RiskContext => ({
  knownAccounts: 'ANY',
  killSwitches: [],
  referencePrice: (symbol) => (REFERENCES[symbol] ? px(REFERENCES[symbol]) : null),
  exposure: EMPTY_EXPOSURE,
  ...changes,
});
const exposure = (
  changes: Partial<{ workingOrders: WorkingOrder[]; positions: Record<string, Holding>; recentOrders: RecentOrder[]; approvalsInWindow: number }>,
): AccountExposure => ({
  workingOrders: changes.workingOrders ?? [],
  positions: new Map(Object.entries(changes.positions ?? {})),
  recentOrders: changes.recentOrders ?? [],
  approvalsInWindow: changes.approvalsInWindow ?? 0,
});
const working = (changes: Partial<WorkingOrder> = {}): WorkingOrder => ({
  orderId: 'W',
  symbol: 'AAPL',
  side: 'BUY',
  leavesQuantity: 100,
  limitPrice: px('100'),
  ...changes,
});
const recent = (changes: Partial<RecentOrder> = {}): RecentOrder => ({
  orderId: 'R',
  symbol: 'AAPL',
  side: 'BUY',
  quantity: 100,
  limitPrice: px('100'),
  createdAt: T0,
  ...changes,
});
const holding = (quantity: number, cost: string): Holding => ({ quantity, costBasis: money(cost) });

const code = (o: RiskOrder, l: RiskLimits, c: RiskContext = context()): string => {
  const d = checkPreTrade(o, l, c);
  return d.approved ? 'OK' : d.code;
};
const reason = (o: RiskOrder, l: RiskLimits, c: RiskContext = context()): string => {
  const d = checkPreTrade(o, l, c);
  return d.approved ? '' : d.reason;
};

describe('pre-trade checks at, just under and just over each limit', () => {
  it.each([
    ['under', 499, 'OK'],
    ['at', 500, 'OK'],
    ['over', 501, 'MAX_QUANTITY'],
  ])('maximum order quantity: %s', (_, quantity, expected) => {
    expect(code(order({ quantity }), limits({ maxOrderQuantity: 500 }))).toBe(expected);
  });

  it.each([
    ['under', '99.99', 'OK'],
    ['at', '100', 'OK'],
    ['over', '100.01', 'MAX_NOTIONAL'],
  ])('maximum notional: %s', (_, price, expected) => {
    expect(code(order({ limitPrice: px(price) }), limits({ maxOrderNotional: money('10000'), priceCollarBps: 100_000 }))).toBe(expected);
  });

  it('values a MARKET order at the reference price, and rejects one it cannot value', () => {
    const max = limits({ maxOrderNotional: money('10000') });
    expect(code(order({ orderType: 'MARKET', limitPrice: null, quantity: 100 }), max)).toBe('OK');
    expect(code(order({ orderType: 'MARKET', limitPrice: null, quantity: 101 }), max)).toBe('MAX_NOTIONAL');
    expect(code(order({ orderType: 'MARKET', limitPrice: null, symbol: 'ZZZZ' }), max)).toBe('NO_REFERENCE_PRICE');
  });

  it.each([
    ['buy under', 'BUY', '104.99', 'OK'],
    ['buy at', 'BUY', '105', 'OK'],
    ['buy over', 'BUY', '105.01', 'PRICE_COLLAR'],
    ['sell under', 'SELL', '95.01', 'OK'],
    ['sell at', 'SELL', '95', 'OK'],
    ['short sell over', 'SELL_SHORT', '94.99', 'PRICE_COLLAR'],
    ['passive buy far away', 'BUY', '50', 'OK'],
  ] as const)('price collar of 500 bps: %s', (_, side, price, expected) => {
    expect(code(order({ side, limitPrice: px(price) }), limits({ priceCollarBps: 500 }))).toBe(expected);
  });

  it('says how far a collared price is', () => {
    expect(reason(order({ limitPrice: px('110') }), limits({ priceCollarBps: 500 }))).toBe(
      'limit 110 is 1000 bps above the reference price 100 (collar 500 bps)',
    );
  });

  it('restricts symbols and knows accounts', () => {
    expect(code(order(), limits({ restrictedSymbols: new Set(['AAPL']) }))).toBe('RESTRICTED_SYMBOL');
    expect(code(order({ symbol: 'MSFT', limitPrice: px('50') }), limits({ restrictedSymbols: new Set(['AAPL']) }))).toBe('OK');
    expect(code(order(), limits(), context({ knownAccounts: new Set(['ACC-1']) }))).toBe('OK');
    expect(code(order({ accountId: 'X' }), limits(), context({ knownAccounts: new Set(['ACC-1']) }))).toBe('UNKNOWN_ACCOUNT');
  });

  describe('credit limit of 50,000 against open orders and positions', () => {
    const credit = limits({ creditLimit: money('50000') });
    // 20,000 working + |-100 x 100| short + 200 MSFT long at 50 = 40,000 used; the order adds 100 x price.
    const used = exposure({
      workingOrders: [
        working({ leavesQuantity: 50 }),
        working({ orderId: 'W2', side: 'SELL', symbol: 'MSFT', leavesQuantity: 100, limitPrice: px('50') }),
        working({ orderId: 'W3', limitPrice: null, leavesQuantity: 100 }),
      ],
      positions: { AAPL: holding(-100, '-9000'), MSFT: holding(200, '9000') },
    });
    it.each([
      ['under', '99.99', 'OK'],
      ['at', '100', 'OK'],
      ['over', '100.01', 'CREDIT_LIMIT'],
    ])('%s', (_, price, expected) => {
      expect(code(order({ limitPrice: px(price) }), credit, context({ exposure: used }))).toBe(expected);
    });
    it('explains the breach', () => {
      expect(reason(order({ limitPrice: px('100.01') }), credit, context({ exposure: used }))).toBe(
        'exposure 50001 (open orders and positions 40000 plus this order 10001) exceeds the credit limit of 50000',
      );
    });
    it('values a position with no market price at its cost, and refuses an open MARKET order it cannot value', () => {
      const unpriced = exposure({ positions: { ZZZZ: holding(10, '40000') } });
      expect(code(order(), credit, context({ exposure: unpriced }))).toBe('OK');
      expect(code(order({ limitPrice: px('100.01') }), credit, context({ exposure: unpriced }))).toBe('CREDIT_LIMIT');
      const openMarket = exposure({ workingOrders: [working({ symbol: 'ZZZZ', limitPrice: null })] });
      expect(code(order(), credit, context({ exposure: openMarket }))).toBe('CREDIT_LIMIT');
    });
  });

  describe('position limit of 1,000 per symbol', () => {
    const max = limits({ maxPosition: 1000 });
    // Long 600, 200 more working to buy: a buy may add 200; the sell side is counted on its own.
    const held = exposure({
      positions: { AAPL: holding(600, '60000') },
      workingOrders: [working({ leavesQuantity: 200 }), working({ orderId: 'S', side: 'SELL', leavesQuantity: 5000 })],
    });
    it.each([
      ['under', 199, 'OK'],
      ['at', 200, 'OK'],
      ['over', 201, 'POSITION_LIMIT'],
    ])('buy %s', (_, quantity, expected) => {
      expect(code(order({ quantity }), max, context({ exposure: held }))).toBe(expected);
    });
    it.each([
      ['under', 1599, 'OK'],
      ['at', 1600, 'OK'],
      ['over', 1601, 'POSITION_LIMIT'],
    ])('sell through zero to short %s (other symbols and the other side do not count)', (_, quantity, expected) => {
      const sells = exposure({
        positions: { AAPL: holding(600, '60000'), MSFT: holding(-5000, '-250000') },
        workingOrders: [working({ leavesQuantity: 900 })],
      });
      expect(code(order({ side: 'SELL', quantity, limitPrice: px('96') }), max, context({ exposure: sells }))).toBe(expected);
    });
    it('explains the breach', () => {
      expect(reason(order({ quantity: 201 }), max, context({ exposure: held }))).toBe(
        'position in AAPL could reach 1001 (held 600, working 200 on this side, this order 201), beyond the limit of 1000',
      );
    });
  });

  describe('duplicate orders within a 2,000 ms window', () => {
    const window = limits({ duplicateWindowMs: 2000 });
    it.each([
      ['just under the window', 1999, 'DUPLICATE_ORDER'],
      ['at the window', 2000, 'OK'],
      ['just over the window', 2001, 'OK'],
    ])('an identical order %s apart', (_, ms, expected) => {
      expect(code(order({ createdAt: at(ms) }), window, context({ exposure: exposure({ recentOrders: [recent()] }) }))).toBe(expected);
      // Decided out of arrival order: the earlier order is the one being checked.
      expect(code(order({ createdAt: at(-ms) }), window, context({ exposure: exposure({ recentOrders: [recent()] }) }))).toBe(expected);
    });
    it.each([
      ['symbol', { symbol: 'MSFT' }],
      ['side', { side: 'SELL' }],
      ['quantity', { quantity: 101 }],
      ['price', { limitPrice: px('100.01') }],
      ['type (MARKET has no price)', { limitPrice: null }],
    ] as const)('is not a duplicate when the %s differs', (_, change) => {
      expect(code(order({ createdAt: at(10) }), window, context({ exposure: exposure({ recentOrders: [recent(change)] }) }))).toBe('OK');
    });
    it('is off at 0 and names the twin', () => {
      expect(code(order(), limits(), context({ exposure: exposure({ recentOrders: [recent()] }) }))).toBe('OK');
      expect(reason(order({ createdAt: at(250) }), window, context({ exposure: exposure({ recentOrders: [recent()] }) }))).toBe(
        'same symbol, side, quantity and price as order R, 250 ms apart (window 2000 ms)',
      );
    });
  });

  describe('throttle of 5 orders per second', () => {
    const throttle = limits({ maxOrdersPerSecond: 5 });
    it.each([
      ['under (3 before)', 3, 'OK'],
      ['at (4 before: this is the 5th)', 4, 'OK'],
      ['over (5 before)', 5, 'THROTTLED'],
    ])('%s', (_, before, expected) => {
      expect(code(order(), throttle, context({ exposure: exposure({ approvalsInWindow: before }) }))).toBe(expected);
    });
    it('counts the approvals of its own batch', () => {
      let state = EMPTY_EXPOSURE;
      const results = Array.from({ length: 7 }, (_, i) => {
        const o = order({ orderId: `B${i}`, quantity: 100 + i });
        const d = checkPreTrade(o, throttle, context({ exposure: state }));
        if (d.approved) state = withApprovedOrder(state, o);
        return d.approved ? 'OK' : d.code;
      });
      expect(results).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'THROTTLED', 'THROTTLED']);
    });
  });

  describe('what the checks need loaded, as of the decision', () => {
    it('loads nothing for checks that are off', () => {
      expect(exposureNeeds(limits(), [order()], T0)).toEqual({ holdings: false, duplicatesSince: null, throttleSince: null });
    });
    it('loads holdings for credit or position limits, and the windows back from the decision and the earliest arrival', () => {
      const needs = exposureNeeds(limits({ maxPosition: 1, duplicateWindowMs: 2000, maxOrdersPerSecond: 5 }), [order({ createdAt: at(-300) }), order()], T0);
      expect(needs).toEqual({ holdings: true, duplicatesSince: at(-2300), throttleSince: at(-1000) });
      expect(exposureNeeds(limits({ creditLimit: money('1') }), [], T0).holdings).toBe(true);
    });
  });

  describe('kill switches', () => {
    const engaged = (target: KillSwitch['target']): KillSwitch => ({ target, reason: 'runaway algo', engagedBy: 'risk-officer', engagedAt: T0 });
    it('blocks every account under the global switch, and one account under its own', () => {
      expect(code(order(), limits(), context({ killSwitches: [engaged({ scope: 'GLOBAL' })] }))).toBe('KILL_SWITCH');
      const accountSwitch = context({ killSwitches: [engaged({ scope: 'ACCOUNT', accountId: 'ACC-1' })] });
      expect(code(order(), limits(), accountSwitch)).toBe('KILL_SWITCH');
      expect(code(order({ accountId: 'ACC-2' }), limits(), accountSwitch)).toBe('OK');
      expect(reason(order(), limits(), accountSwitch)).toBe('kill switch of account ACC-1 engaged by risk-officer: runaway algo');
    });
    it('comes before every other check', () => {
      expect(
        code(order({ quantity: 10 ** 9 }), limits({ restrictedSymbols: new Set(['AAPL']) }), context({ killSwitches: [engaged({ scope: 'GLOBAL' })] })),
      ).toBe('KILL_SWITCH');
    });
  });
});
