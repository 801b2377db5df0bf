import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { pooledUuidV7 } from './uuid-v7.js';

describe('pooledUuidV7', () => {
  it('makes valid, distinct, strictly increasing v7 ids across several pool refills', () => {
    const newId = pooledUuidV7(64);
    const ids = Array.from({ length: 1000 }, () => newId());
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
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});
