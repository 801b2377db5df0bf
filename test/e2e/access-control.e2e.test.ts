import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIssuer, type TokenOptions } from '../../src/adapters/auth/test-support/test-issuer.js';
import { OrderService } from '../../src/gen/oms/v1/order_pb.js';
import { RiskService } from '../../src/gen/oms/v1/risk_pb.js';
import { startTestSystem } from '../support/embedded.js';
import { freePort } from '../support/processes.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const order = (accountId: string, clientOrderId: string) => ({
  clientOrderId,
  accountId,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 10,
  limitPrice: 1,
  timeInForce: 'DAY',
});

// The embedded system in oidc mode, trusting a Keycloak-shaped test issuer served over HTTP.
describe('access control over the API (AUTH_MODE=oidc)', () => {
  let issuer: TestIssuer;
  let system: System;
  let grpcUrl: string;
  const tokens: Record<string, string> = {};

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const headers: Record<string, string> = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const response = await fetch(`${system.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as { orderId?: string; orders?: unknown[]; error?: { code: string; message: string; fields?: { field: string }[] } },
    };
  };
  const token = (roles: string[], accounts: string[], options: TokenOptions = {}) => issuer.token(roles, accounts, options);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const grpcPort = await freePort();
    grpcUrl = `http://127.0.0.1:${grpcPort}`;
    system = await startTestSystem({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER_URL: issuer.issuerUrl,
      OIDC_AUDIENCE: 'oms-api',
      RATE_LIMIT_PER_MINUTE: '40',
      GRPC_PORT: String(grpcPort),
    });
    tokens.traderA = await token(['trader'], ['ACC-A'], { subject: 'trader-a' });
    tokens.traderB = await token(['trader'], ['ACC-B'], { subject: 'trader-b' });
    tokens.viewerA = await token(['viewer'], ['ACC-A'], { subject: 'viewer-a' });
    tokens.risk = await token(['risk-officer'], ['*'], { subject: 'risk-1' });
  });

  afterAll(async () => {
    await system?.cleanUp();
    await issuer?.close();
  });

  it('lets a trader submit on its own account (201), not on another (403 naming accountId), and stores nothing then', async () => {
    expect((await call('POST', '/api/v1/orders', tokens.traderA, order('ACC-A', 'A-1'))).status).toBe(201);
    const other = await call('POST', '/api/v1/orders', tokens.traderA, order('ACC-B', 'A-2'));
    expect(other.status).toBe(403);
    expect(other.json.error).toMatchObject({ code: 'FORBIDDEN', fields: [{ field: 'accountId', message: 'not entitled to trade on account ACC-B' }] });
    expect((await call('GET', '/api/v1/orders?accountId=ACC-B', tokens.risk)).json.orders).toEqual([]);
  });

  it("answers another account's order exactly as an unknown id (404), on every read", async () => {
    const placed = await call('POST', '/api/v1/orders', tokens.traderB, order('ACC-B', 'B-1'));
    const orderId = placed.json.orderId!;
    const unknownId = '01900000-0000-7000-8000-000000000000';
    for (const suffix of ['', '/status']) {
      const hidden = await call('GET', `/api/v1/orders/${orderId}${suffix}`, tokens.traderA);
      const unknown = await call('GET', `/api/v1/orders/${unknownId}${suffix}`, tokens.traderA);
      expect([hidden.status, unknown.status]).toEqual([404, 404]);
      expect(JSON.stringify(hidden.json).replace(orderId, '<id>')).toBe(JSON.stringify(unknown.json).replace(unknownId, '<id>'));
      expect((await call('GET', `/api/v1/orders/${orderId}${suffix}`, tokens.traderB)).status).toBe(200);
      expect((await call('GET', `/api/v1/orders/${orderId}${suffix}`, tokens.risk)).status).toBe(200);
    }
    for (const path of ['/api/v1/orders?accountId=ACC-B', '/api/v1/positions?accountId=ACC-B', '/api/v1/execution-quality?accountId=ACC-B']) {
      const response = await call('GET', path, tokens.traderA);
      expect([path, response.status, response.json.error?.code]).toEqual([path, 404, 'ACCOUNT_NOT_FOUND']);
    }
  });

  it('lets a viewer read its account but not submit (403); a risk officer reads every account but does not trade', async () => {
    const denied = await call('POST', '/api/v1/orders', tokens.viewerA, order('ACC-A', 'V-1'));
    expect([denied.status, denied.json.error?.message]).toEqual([403, 'order:submit needs the role trader']);
    expect((await call('GET', '/api/v1/orders?accountId=ACC-A', tokens.viewerA)).json.orders).toHaveLength(1);
    expect((await call('GET', '/api/v1/marketdata/AAPL', tokens.viewerA)).status).toBe(200);
    expect((await call('POST', '/api/v1/orders', tokens.risk, order('ACC-A', 'R-1'))).status).toBe(403);
    // A token whose holder has no OMS role at all reads nothing either.
    expect((await call('GET', '/api/v1/orders?accountId=ACC-A', await token([], ['ACC-A']))).status).toBe(403);
  });

  it('refuses requests without a valid token with 401: none, expired, wrong audience, wrong issuer, wrong signature', async () => {
    const bad = [
      undefined,
      await token(['trader'], ['ACC-A'], { expiresIn: -60 }),
      await token(['trader'], ['ACC-A'], { audience: 'another-api' }),
      await token(['trader'], ['ACC-A'], { issuer: 'https://elsewhere.example/realms/oms' }),
      await token(['trader'], ['ACC-A'], { forgedKey: 'same-kid' }),
    ];
    for (const candidate of bad) {
      const response = await call('POST', '/api/v1/orders', candidate, order('ACC-A', 'X-1'));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="oms"/);
      expect(response.json.error?.code).toBe('UNAUTHORIZED');
    }
    expect((await call('GET', '/api/v1/orders?accountId=ACC-A', tokens.traderA)).json.orders).toHaveLength(1);
    expect((await fetch(`${system.url}/actuator/health`)).status).toBe(200);
  });

  it("streams only the caller's accounts", async () => {
    const controller = new AbortController();
    const response = await fetch(`${system.url}/api/v1/orders/stream`, { headers: { authorization: `Bearer ${tokens.viewerA}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await call('POST', '/api/v1/orders', tokens.traderB, order('ACC-B', 'B-2'));
    await call('POST', '/api/v1/orders', tokens.traderA, order('ACC-A', 'A-3'));
    let text = '';
    while (!text.includes('"clientOrderId":"A-3"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('"accountId":"ACC-A"');
    expect(text).not.toContain('"accountId":"ACC-B"');
  });

  it('rate limits each caller (429 with Retry-After) without touching the others', async () => {
    const burst = await token(['viewer'], ['ACC-A'], { subject: 'burst-client' });
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await call('GET', '/api/v1/orders?accountId=ACC-A', burst)).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await call('GET', '/api/v1/orders?accountId=ACC-A', burst);
    expect([statuses[40], limited.status, limited.json.error?.code]).toEqual([429, 429, 'RATE_LIMITED']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/orders?accountId=ACC-A', tokens.viewerA)).status).toBe(200);
  });

  // Issue 14: a risk check spends the account's throttle; embedded mode decides in process and serves none.
  it('serves no internal RiskService on its gRPC port, where OrderService asks for a token', async () => {
    const sessions = new Http2SessionManager(grpcUrl);
    const transport = createGrpcTransport({ baseUrl: grpcUrl, sessionManager: sessions });
    const failure = (call: Promise<unknown>) =>
      call.then(
        () => new Error('expected the call to fail'),
        (e: unknown) => ConnectError.from(e),
      );
    try {
      const check = await failure(createClient(RiskService, transport).checkOrders({ orders: [] }, { headers: { authorization: `Bearer ${tokens.risk}` } }));
      expect(check).toMatchObject({ code: Code.Unimplemented });
      const read = await failure(createClient(OrderService, transport).getOrder({ orderId: '01900000-0000-7000-8000-000000000000' }));
      expect(read).toMatchObject({ code: Code.Unauthenticated });
    } finally {
      sessions.abort();
    }
  });
});
