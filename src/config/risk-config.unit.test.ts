import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('risk configuration', () => {
  it('leaves the stateful checks off unless configured', () => {
    const { risk } = loadConfig({});
    expect(risk).toMatchObject({ creditLimit: null, maxPosition: null, duplicateWindowMs: 0, maxOrdersPerSecond: null });
  });

  it('reads the default limits every account starts from', () => {
    const { risk } = loadConfig({
      RISK_CREDIT_LIMIT: '2500000.50',
      RISK_MAX_POSITION: '10000',
      RISK_DUPLICATE_WINDOW_MS: '2000',
      RISK_MAX_ORDERS_PER_SECOND: '50',
    });
    expect(risk).toMatchObject({ creditLimit: '2500000.50', maxPosition: 10000, duplicateWindowMs: 2000, maxOrdersPerSecond: 50 });
  });

  it('names every bad risk setting', () => {
    const attempt = () => loadConfig({ RISK_CREDIT_LIMIT: 'lots', RISK_MAX_POSITION: '-1', RISK_DUPLICATE_WINDOW_MS: '1.5', RISK_MAX_ORDERS_PER_SECOND: '0' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'RISK_CREDIT_LIMIT',
        'RISK_MAX_POSITION',
        'RISK_DUPLICATE_WINDOW_MS',
        'RISK_MAX_ORDERS_PER_SECOND',
      ]);
    }
  });
});
