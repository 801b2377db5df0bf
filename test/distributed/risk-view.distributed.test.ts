import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIssuer } from '../../src/adapters/auth/test-support/test-issuer.js';
import { Cluster, createTestDatabase, deleteRedisKeys, startKafkaMockBroker } from './cluster.js';

/**
 * The web blotter's risk view in distributed mode: oms-ingest serves the page, risk-service the
 * risk API, and oms-ingest forwards /api/v1/risk/* there (RISK_SERVICE_URL). Real processes on
 * PostgreSQL, Redis and the Kafka test broker, in oidc mode against one Keycloak-shaped issuer as
 * compose and Kubernetes run them, so each user's own token is what risk-service judges.
 */

let issuer: TestIssuer;
let broker: Awaited<ReturnType<typeof startKafkaMockBroker>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let cluster: Cluster;
const redisKeyPrefix = `oms-e2e-risk-${Date.now().toString(36)}:`;
const tokens: Record<'officer' | 'trader', string> = { officer: '', trader: '' };

interface Answer {
  status: number;
  json: {
    error?: { code: string; message: string };
    limits?: Record<string, unknown>;
    overrides?: Record<string, unknown>;
    updatedBy?: string | null;
    entries?: { actor: string; accountId: string | null }[];
  };
}

async function call(base: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, json: (await response.json()) as Answer['json'] };
}

/** Through oms-ingest, the page's one origin. */
const viaIngest = (method: string, path: string, token: string | undefined, body?: unknown) => call(cluster.url('oms-ingest'), method, path, token, body);

beforeAll(async () => {
  issuer = await TestIssuer.start();
  tokens.officer = await issuer.token(['risk-officer'], ['*'], { subject: 'risk-officer-1', expiresIn: 600 });
  tokens.trader = await issuer.token(['trader'], ['ACC-R1'], { subject: 'trader-1', expiresIn: 600 });
  broker = await startKafkaMockBroker();
  database = await createTestDatabase();
  cluster = await Cluster.create({
    kafkaBootstrap: broker.bootstrap,
    database: database.name,
    redisKeyPrefix,
    env: { AUTH_MODE: 'oidc', OIDC_ISSUER_URL: issuer.issuerUrl, OIDC_AUDIENCE: issuer.audience },
  });
  // The page's market and risk views need no more than these: the services' health waits for market snapshots.
  for (const service of ['marketdata-simulator', 'risk-service', 'oms-ingest'] as const) await cluster.start(service);
}, 240_000);

afterAll(async () => {
  await cluster?.stopAll();
  await database?.drop();
  await broker?.stop();
  await issuer?.close();
  await deleteRedisKeys(redisKeyPrefix);
}, 120_000);

describe("the risk API through oms-ingest (the web blotter's risk view, distributed)", () => {
  it('lets a risk officer read and set limits through oms-ingest, as that user at risk-service', async () => {
    const all = await viaIngest('GET', '/api/v1/risk/limits', tokens.officer);
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ defaults: { maxOrderQuantity: 1_000_000 } });

    const set = await viaIngest('PUT', '/api/v1/risk/limits/ACC-R1', tokens.officer, { maxOrderQuantity: 500 });
    expect(set.status).toBe(200);
    // risk-service named the user of the forwarded token, not oms-ingest.
    expect(set.json).toMatchObject({ overrides: { maxOrderQuantity: 500 }, limits: { maxOrderQuantity: 500 }, updatedBy: 'risk-officer-1' });

    // Stored by risk-service: read back there directly, and through oms-ingest.
    const direct = await call(cluster.url('risk-service'), 'GET', '/api/v1/risk/limits/ACC-R1', tokens.officer);
    expect(direct.json).toMatchObject({ overrides: { maxOrderQuantity: 500 } });
    expect((await viaIngest('GET', '/api/v1/risk/limits/ACC-R1', tokens.officer)).json).toEqual(direct.json);
    const audit = await viaIngest('GET', '/api/v1/risk/audit?limit=10', tokens.officer);
    expect(audit.json.entries?.[0]).toMatchObject({ actor: 'risk-officer-1', accountId: 'ACC-R1' });
  }, 60_000);

  it("refuses a user without the risk role with risk-service's own 403, and one without a token with 401", async () => {
    const read = await viaIngest('GET', '/api/v1/risk/limits/ACC-R1', tokens.trader);
    expect(read.status).toBe(403);
    expect(read.json.error?.code).toBe('FORBIDDEN');
    const write = await viaIngest('PUT', '/api/v1/risk/limits/ACC-R1', tokens.trader, { maxOrderQuantity: 1 });
    expect(write.status).toBe(403);
    const engage = await viaIngest('POST', '/api/v1/risk/kill-switch', tokens.trader, { scope: 'GLOBAL', reason: 'not mine to pull' });
    expect(engage.status).toBe(403);
    expect((await viaIngest('GET', '/api/v1/risk/limits/ACC-R1', undefined)).status).toBe(401);
    // Nothing changed.
    expect((await viaIngest('GET', '/api/v1/risk/limits/ACC-R1', tokens.officer)).json).toMatchObject({ overrides: { maxOrderQuantity: 500 } });
    expect((await viaIngest('GET', '/api/v1/risk/kill-switch', tokens.officer)).json).toMatchObject({ engaged: [] });
  }, 60_000);

  it('answers 503 with a JSON error at once while risk-service is down, and forwards again once it is back', async () => {
    await cluster.kill('risk-service');
    const started = Date.now();
    const down = await viaIngest('GET', '/api/v1/risk/limits', tokens.officer);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(down.status).toBe(503);
    expect(down.json.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('risk-service') });
    // oms-ingest itself stays ready: orders do not need the risk API.
    expect((await fetch(`${cluster.url('oms-ingest')}/actuator/health/readiness`)).status).toBe(200);

    await cluster.start('risk-service');
    expect((await viaIngest('GET', '/api/v1/risk/limits', tokens.officer)).status).toBe(200);
  }, 120_000);
});
