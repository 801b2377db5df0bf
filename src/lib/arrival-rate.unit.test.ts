import { describe, expect, it } from 'vitest';
import { ArrivalRate } from './arrival-rate.js';

describe('ArrivalRate', () => {
  it('is zero before anything arrives', () => {
    expect(new ArrivalRate(50).perMs(1_000)).toBe(0);
  });

  it('comes to a steady rate of arrivals after a few windows', () => {
    const rate = new ArrivalRate(50);
    for (let t = 0; t <= 500; t += 0.5) rate.note(t); // two per millisecond
    expect(rate.perMs(500)).toBeGreaterThan(1.9);
    expect(rate.perMs(500)).toBeLessThan(2.1);
    const slow = new ArrivalRate(50);
    for (let t = 0; t <= 5_000; t += 50) slow.note(t); // twenty per second
    expect(slow.perMs(5_000)).toBeLessThan(0.05);
  });

  it('falls off after arrivals stop, by e each window', () => {
    const rate = new ArrivalRate(50);
    for (let t = 0; t <= 500; t += 0.5) rate.note(t);
    const before = rate.perMs(500);
    expect(rate.perMs(550)).toBeCloseTo(before / Math.E, 6);
    expect(rate.perMs(1_000)).toBeLessThan(0.001);
  });

  it('refuses a window that is not positive', () => {
    expect(() => new ArrivalRate(0)).toThrow(RangeError);
  });
});
