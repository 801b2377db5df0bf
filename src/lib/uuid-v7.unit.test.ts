import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { pooledUuidV7 } from './uuid-v7.js';

const millisecondsOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('pooledUuidV7', () => {
  it('makes valid, distinct, strictly increasing v7 ids across several pool refills', () => {
    const newId = pooledUuidV7(64);
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const id = pooledUuidV7()();
    expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondsOf(id)).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('has random bits where the counter ends: two generators started together differ', () => {
    const a = pooledUuidV7()();
    const b = pooledUuidV7()();
    expect(a.slice(-12)).not.toBe(b.slice(-12));
  });
});
