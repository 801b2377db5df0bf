import { describe, expect, it } from 'vitest';
import { isoText } from './iso-text.js';

describe('isoText', () => {
  it("gives each Date's own ISO text, the same on every call", () => {
    const dates = [new Date(0), new Date('2026-12-05T02:10:00.123Z'), new Date(8.64e15), new Date(-1)];
    for (const date of dates) {
      expect(isoText(date)).toBe(date.toISOString());
      expect(isoText(date)).toBe(date.toISOString());
    }
    expect(isoText(new Date('2026-12-05T02:10:00.124Z'))).toBe('2026-12-05T02:10:00.124Z');
  });

  it('throws for an invalid Date, as toISOString does', () => {
    expect(() => isoText(new Date(Number.NaN))).toThrow(RangeError);
  });
});
