import { describe, expect, it } from 'vitest';
import { formatDecimal, parsePrice, type Price } from '../money/price.js';
import { applyFillToPosition, averageCost, emptyPosition, unrealizedPnl } from './position.js';

const px = (text: string): Price => parsePrice(text)!;

describe('position accounting', () => {
  it('averages the cost of buys exactly', () => {
    let p = applyFillToPosition(emptyPosition('A', 'AAPL'), 'BUY', 100, px('150.01'));
    p = applyFillToPosition(p, 'BUY', 200, px('150.02'));
    expect(p.quantity).toBe(300);
    expect(formatDecimal(p.costBasis)).toBe('45005');
    expect(formatDecimal(averageCost(p)!)).toBe('150.01666667');
  });

  it('realises P&L on a partial sell and keeps the average cost of the rest', () => {
    let p = applyFillToPosition(emptyPosition('A', 'AAPL'), 'BUY', 300, px('10'));
    p = applyFillToPosition(p, 'SELL', 100, px('12.5'));
    expect(p.quantity).toBe(200);
    expect(formatDecimal(p.realizedPnl)).toBe('250');
    expect(formatDecimal(averageCost(p)!)).toBe('10');
  });

  it('closes to exactly zero cost when flat', () => {
    let p = applyFillToPosition(emptyPosition('A', 'X'), 'BUY', 3, px('0.0001'));
    p = applyFillToPosition(p, 'BUY', 7, px('0.0003'));
    p = applyFillToPosition(p, 'SELL', 10, px('0.0002'));
    expect(p.quantity).toBe(0);
    expect(p.costBasis).toBe(0n);
    expect(formatDecimal(p.realizedPnl)).toBe('-0.0004');
  });

  it('flips from long to short through zero', () => {
    let p = applyFillToPosition(emptyPosition('A', 'X'), 'BUY', 100, px('20'));
    p = applyFillToPosition(p, 'SELL_SHORT', 150, px('21'));
    expect(p.quantity).toBe(-50);
    expect(formatDecimal(p.realizedPnl)).toBe('100');
    expect(formatDecimal(p.costBasis)).toBe('-1050');
    expect(formatDecimal(averageCost(p)!)).toBe('21');
  });

  it('gains on a short covered lower, and marks unrealised P&L', () => {
    let p = applyFillToPosition(emptyPosition('A', 'X'), 'SELL_SHORT', 100, px('50'));
    expect(formatDecimal(unrealizedPnl(p, px('48')))).toBe('200');
    p = applyFillToPosition(p, 'BUY', 40, px('45'));
    expect(p.quantity).toBe(-60);
    expect(formatDecimal(p.realizedPnl)).toBe('200');
    expect(formatDecimal(unrealizedPnl(p, px('50')))).toBe('0');
  });
});
