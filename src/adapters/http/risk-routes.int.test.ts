import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecimal, type Money } from '../../domain/money/price.js';
import { defaultRiskLimits } from '../../domain/risk/pre-trade.js';
import { systemClock } from '../../ports/clock.js';
import type { SqlClient } from '../../ports/sql.js';
import type { WorkingOrderCanceller } from '../../ports/working-order-canceller.js';
import { RiskControlService } from '../../services/risk-service/risk-controls.js';
import { createLogger } from '../observability/pino-logger.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { SqlRiskControlStore } from '../sql/risk/sql-risk-controls.js';
import { migratedPglite } from '../sql/test-support/pglite.js';
import { createHttpApp } from './app.js';
import { registerRiskRoutes } from './risk-routes.js';
import { installAccessControl } from './auth-plugin.js';
import { devAccess } from '../auth/test-support/access.js';

const logger = createLogger({ level: 'silent' });
const policy = {
  defaults: { ...defaultRiskLimits(), restrictedSymbols: new Set(['GME']), creditLimit: parseDecimal('5000000') as Money },
  knownAccounts: 'ANY' as const,
};

describe('risk limits and kill switch API', () => {
  let db: SqlClient;
  let app: FastifyInstance;
  const cancels = { fail: false, calls: 0 };

  beforeAll(async () => {
    db = await migratedPglite();
    const canceller: WorkingOrderCanceller = {
      cancelAll: async () => {
        cancels.calls++;
        if (cancels.fail) throw new Error('venue unreachable');
        return 7;
      },
    };
    app = createHttpApp({ logger, metrics: createMetrics() });
    // Development access: requests without a token act with every role on every account.
    installAccessControl(app, devAccess());
    const controls = new RiskControlService({ store: new SqlRiskControlStore(db), policy, clock: systemClock, logger, canceller });
    // Stands in for an auth layer's principal.
    registerRiskRoutes(app, controls, { actorOf: (request) => request.headers['x-test-actor'] as string | undefined });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const call = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown, actor?: string) => {
    const response = await app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as object }),
      headers: actor ? { 'x-test-actor': actor } : {},
    });
    return { status: response.statusCode, json: response.json() as Record<string, unknown> & { error?: { code: string; fields?: { field: string }[] } } };
  };
  const badFields = (json: { error?: { fields?: { field: string }[] } }) => json.error?.fields?.map((f) => f.field);

  it('shows the defaults', async () => {
    const { status, json } = await call('GET', '/api/v1/risk/limits');
    expect(status).toBe(200);
    expect(json).toEqual({
      defaults: {
        maxOrderQuantity: 1_000_000,
        maxOrderNotional: '10000000',
        priceCollarBps: 1000,
        restrictedSymbols: ['GME'],
        creditLimit: '5000000',
        maxPosition: null,
        duplicateWindowMs: 0,
        maxOrdersPerSecond: null,
      },
      knownAccounts: 'ANY',
      accounts: [],
    });
  });

  it('answers 400 naming every bad field of a limits change, and stores nothing', async () => {
    const bad = await call('PUT', '/api/v1/risk/limits/ACC-1', { maxOrderQuantity: -1, creditLimit: 'lots', restrictedSymbols: ['ok'], colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe('VALIDATION_FAILED');
    expect(badFields(bad.json)).toEqual(['maxOrderQuantity', 'creditLimit', 'restrictedSymbols[0]', 'colour']);
    expect(badFields((await call('PUT', '/api/v1/risk/limits/bad%20id', { maxPosition: 1 })).json)).toEqual(['accountId']);
    expect(badFields((await call('PUT', '/api/v1/risk/limits/ACC-1', [1, 2])).json)).toEqual(['body']);
    expect((await call('GET', '/api/v1/risk/limits/ACC-1')).json.overrides).toEqual({});
  });

  it("sets an account's limits over the defaults, shows and clears them, naming who did it", async () => {
    const put = await call(
      'PUT',
      '/api/v1/risk/limits/ACC-1',
      { maxPosition: 5000, creditLimit: null, restrictedSymbols: ['TSLA'], duplicateWindowMs: 2000 },
      'officer-7',
    );
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      accountId: 'ACC-1',
      overrides: { maxPosition: 5000, creditLimit: null, restrictedSymbols: ['TSLA'], duplicateWindowMs: 2000 },
      limits: { maxOrderQuantity: 1_000_000, maxPosition: 5000, creditLimit: null, restrictedSymbols: ['GME', 'TSLA'], duplicateWindowMs: 2000 },
      updatedBy: 'officer-7',
    });
    expect((await call('GET', '/api/v1/risk/limits/ACC-1')).json).toEqual(put.json);
    expect((await call('GET', '/api/v1/risk/limits')).json.accounts).toEqual([expect.objectContaining({ accountId: 'ACC-1', updatedBy: 'officer-7' })]);

    const cleared = await call('DELETE', '/api/v1/risk/limits/ACC-1');
    expect(cleared.status).toBe(200);
    expect(cleared.json).toMatchObject({ overrides: {}, limits: { creditLimit: '5000000', maxPosition: null }, updatedBy: null });
    expect((await call('DELETE', '/api/v1/risk/limits/ACC-1')).status).toBe(404);
  });

  it('engages, shows and releases kill switches, asking for the cancels', async () => {
    expect(badFields((await call('POST', '/api/v1/risk/kill-switch', {})).json)).toEqual(['scope', 'reason']);
    expect(badFields((await call('POST', '/api/v1/risk/kill-switch', { scope: 'ACCOUNT', reason: 'x' })).json)).toEqual(['accountId']);

    const engaged = await call('POST', '/api/v1/risk/kill-switch', { scope: 'ACCOUNT', accountId: 'ACC-2', reason: 'runaway algo' }, 'officer-7');
    expect(engaged.status).toBe(201);
    expect(engaged.json).toMatchObject({
      engagedNow: true,
      canceledOrders: 7,
      killSwitch: { scope: 'ACCOUNT', accountId: 'ACC-2', reason: 'runaway algo', engagedBy: 'officer-7' },
    });
    const again = await call('POST', '/api/v1/risk/kill-switch', { scope: 'ACCOUNT', accountId: 'ACC-2', reason: 'still' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ engagedNow: false, killSwitch: { reason: 'runaway algo' } });
    expect(cancels.calls).toBe(2);
    const global = await call('POST', '/api/v1/risk/kill-switch', { scope: 'GLOBAL', reason: 'halt' });
    expect(global.json).toMatchObject({ killSwitch: { scope: 'GLOBAL', accountId: null, engagedBy: 'anonymous' } });
    expect(((await call('GET', '/api/v1/risk/kill-switch')).json.engaged as unknown[]).length).toBe(2);

    expect(badFields((await call('DELETE', '/api/v1/risk/kill-switch?scope=SOME')).json)).toEqual(['scope']);
    expect(badFields((await call('DELETE', '/api/v1/risk/kill-switch?scope=GLOBAL&accountId=ACC-2')).json)).toEqual(['accountId']);
    const released = await call('DELETE', '/api/v1/risk/kill-switch?scope=ACCOUNT&accountId=ACC-2&reason=fixed', undefined, 'officer-8');
    expect(released.status).toBe(200);
    expect(released.json).toMatchObject({ released: { scope: 'ACCOUNT', accountId: 'ACC-2', reason: 'runaway algo' } });
    expect((await call('DELETE', '/api/v1/risk/kill-switch?scope=ACCOUNT&accountId=ACC-2')).status).toBe(404);
    expect((await call('DELETE', '/api/v1/risk/kill-switch?scope=GLOBAL')).status).toBe(200);
    expect((await call('GET', '/api/v1/risk/kill-switch')).json).toEqual({ engaged: [] });
  });

  it('answers 503 when the cancels fail, with the switch engaged', async () => {
    cancels.fail = true;
    const failed = await call('POST', '/api/v1/risk/kill-switch', { scope: 'ACCOUNT', accountId: 'ACC-3', reason: 'r' });
    cancels.fail = false;
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' }, killSwitch: { scope: 'ACCOUNT', accountId: 'ACC-3' } });
    expect((await call('GET', '/api/v1/risk/kill-switch')).json.engaged).toEqual([expect.objectContaining({ accountId: 'ACC-3' })]);
  });

  it('returns the audit of every change, newest first', async () => {
    expect(badFields((await call('GET', '/api/v1/risk/audit?limit=0')).json)).toEqual(['limit']);
    const { json } = await call('GET', '/api/v1/risk/audit?limit=500');
    const entries = json.entries as { action: string; actor: string; accountId: string | null }[];
    expect(entries.map((e) => [e.action, e.accountId, e.actor])).toEqual([
      ['KILL_SWITCH_ENGAGED', 'ACC-3', 'anonymous'],
      ['KILL_SWITCH_RELEASED', null, 'anonymous'],
      ['KILL_SWITCH_RELEASED', 'ACC-2', 'officer-8'],
      ['KILL_SWITCH_ENGAGED', null, 'anonymous'],
      ['KILL_SWITCH_ENGAGED', 'ACC-2', 'officer-7'],
      ['LIMITS_CLEARED', 'ACC-1', 'anonymous'],
      ['LIMITS_SET', 'ACC-1', 'officer-7'],
    ]);
  });
});
