import { describe, expect, it } from 'vitest';
import { blockingSwitch, validateEngageRequest, validateScope, type KillSwitch } from './kill-switch.js';

const fields = (input: unknown): string[] => {
  const result = validateEngageRequest(input);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('kill switch requests', () => {
  it('reads a global and an account scope', () => {
    expect(validateEngageRequest({ scope: 'GLOBAL', reason: ' market halt ' })).toEqual({
      ok: true,
      value: { target: { scope: 'GLOBAL' }, reason: 'market halt' },
    });
    expect(validateEngageRequest({ scope: 'ACCOUNT', accountId: 'ACC-1', reason: 'x' })).toEqual({
      ok: true,
      value: { target: { scope: 'ACCOUNT', accountId: 'ACC-1' }, reason: 'x' },
    });
  });

  it('names every bad field', () => {
    expect(fields({})).toEqual(['scope', 'reason']);
    expect(fields({ scope: 'ACCOUNT', reason: '' })).toEqual(['accountId', 'reason']);
    expect(fields({ scope: 'GLOBAL', accountId: 'ACC-1', reason: 'r', extra: 1 })).toEqual(['extra', 'accountId']);
    expect(fields({ scope: 'GLOBAL', reason: 'r'.repeat(501) })).toEqual(['reason']);
    expect(fields('stop')).toEqual(['body']);
    expect(validateScope({ scope: 'ACCOUNT', accountId: 'bad id' }).ok).toBe(false);
  });

  it('finds the switch that blocks an account, the global one first', () => {
    const at = new Date(0);
    const account: KillSwitch = { target: { scope: 'ACCOUNT', accountId: 'A' }, reason: 'r', engagedBy: 'x', engagedAt: at };
    const global: KillSwitch = { target: { scope: 'GLOBAL' }, reason: 'r', engagedBy: 'x', engagedAt: at };
    expect(blockingSwitch([account], 'A')).toBe(account);
    expect(blockingSwitch([account], 'B')).toBeNull();
    expect(blockingSwitch([account, global], 'A')).toBe(global);
  });
});
