import { describe, expect, it } from 'vitest';
import { msUntilNextClose } from './session-close.js';

describe('msUntilNextClose', () => {
  it('waits until today’s close, or tomorrow’s once it has passed (a close exactly now is tomorrow’s)', () => {
    expect(msUntilNextClose('20:00:00', new Date('2026-03-02T19:59:59.500Z'))).toBe(500);
    expect(msUntilNextClose('20:00:00', new Date('2026-03-02T20:00:00.000Z'))).toBe(86_400_000);
    expect(msUntilNextClose('00:00:05', new Date('2026-12-31T23:59:59.000Z'))).toBe(6_000);
  });
});
