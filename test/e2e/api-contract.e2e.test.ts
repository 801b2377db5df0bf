import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { postOrder, startTestSystem, waitForOrder } from '../support/embedded.js';
import { checkAnswer, operationsOf, type OpenApiDocument } from '../support/openapi-contract.js';

/**
 * The published contract against the running system: /openapi.json is valid OpenAPI, /docs serves
 * its page, and every documented operation answers (successes and errors) in the documented shape.
 */
let system: Awaited<ReturnType<typeof startTestSystem>>;
let doc: OpenApiDocument;
const ACCOUNT = 'ACC-CONTRACT';
const UNKNOWN_ORDER = '01890a5d-ac96-774b-bcce-b302099a8057';
let filledOrder: string;
let restingOrder: string;
let viewerToken: string;

interface Call {
  readonly operation: string;
  readonly url: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly token?: string;
  readonly expected: number;
}

async function call(c: Call): Promise<{ status: number; contentType: string; body: unknown }> {
  const method = c.method ?? c.operation.split(' ')[0]!;
  const headers: Record<string, string> = {};
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  const payload = c.rawBody ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  if (payload !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
  const response = await fetch(`${system.url}${c.url}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, contentType, body: contentType.startsWith('application/json') ? JSON.parse(text) : text };
}

async function newOrder(overrides: Record<string, unknown>): Promise<string> {
  const { status, json } = await postOrder(system.url, {
    clientOrderId: `CT-${Math.random().toString(36).slice(2)}`,
    accountId: ACCOUNT,
    symbol: 'AAPL',
    side: 'BUY',
    quantity: 100,
    timeInForce: 'DAY',
    ...overrides,
  });
  expect(status, JSON.stringify(json)).toBe(201);
  return String(json.orderId);
}

beforeAll(async () => {
  system = await startTestSystem({ RISK_PRICE_COLLAR_BPS: '1000' });
  doc = (await (await fetch(`${system.url}/openapi.json`)).json()) as OpenApiDocument;
  const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
  const reference = parseDecimal(market.referencePrice)!;
  // 5% under the market, on the cent grid: it rests at the venues.
  const restingPrice = formatDecimal(((reference * 95n) / 100n / 1_000_000n) * 1_000_000n);
  filledOrder = await newOrder({ orderType: 'MARKET' });
  restingOrder = await newOrder({ orderType: 'LIMIT', limitPrice: restingPrice, quantity: 300 });
  await waitForOrder(system.url, filledOrder, (o) => o.status === 'FILLED');
  await waitForOrder(system.url, restingOrder, (o) => o.status === 'NEW');
  const token = await call({
    operation: 'POST /api/v1/dev/token',
    url: '/api/v1/dev/token',
    body: { subject: 'viewer-1', roles: ['viewer'], accounts: ['OTHER'] },
    expected: 200,
  });
  viewerToken = (token.body as { access_token: string }).access_token;
});

afterAll(async () => {
  await system?.cleanUp();
});

describe('the API contract', () => {
  it('serves a valid OpenAPI 3.1 document with a bearer JWT scheme', async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect((doc as unknown as { components: { securitySchemes: unknown } }).components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
  });

  it('serves the interactive page at /docs, without a token', async () => {
    const page = await fetch(`${system.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui');
    expect((await fetch(`${system.url}/docs/static/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('answers in the documented shape, errors included, for every documented operation', async () => {
    const o = (id: string) => `/api/v1/orders/${id}`;
    const calls: Call[] = [
      {
        operation: 'POST /api/v1/orders',
        url: '/api/v1/orders',
        body: { clientOrderId: 'CT-NEW', accountId: ACCOUNT, symbol: 'AAPL', side: 'SELL', orderType: 'MARKET', quantity: 10, timeInForce: 'DAY' },
        expected: 201,
      },
      {
        operation: 'POST /api/v1/orders',
        url: '/api/v1/orders',
        body: { clientOrderId: 'CT-NEW', accountId: ACCOUNT, symbol: 'AAPL', side: 'SELL', orderType: 'MARKET', quantity: 10, timeInForce: 'DAY' },
        expected: 200,
      },
      { operation: 'POST /api/v1/orders', url: '/api/v1/orders', body: { quantity: 0 }, expected: 400 },
      { operation: 'POST /api/v1/orders', url: '/api/v1/orders', rawBody: '{"quantity":', expected: 400 },
      { operation: 'POST /api/v1/orders', url: '/api/v1/orders', rawBody: 'x', contentType: 'text/plain', expected: 415 },
      { operation: 'POST /api/v1/orders', url: '/api/v1/orders', rawBody: JSON.stringify({ pad: 'x'.repeat(20_000) }), expected: 413 },
      { operation: 'POST /api/v1/orders', url: '/api/v1/orders', body: { accountId: ACCOUNT }, token: viewerToken, expected: 403 },
      { operation: 'POST /api/v1/orders', url: '/api/v1/orders', body: {}, token: 'not-a-token', expected: 401 },
      { operation: 'GET /api/v1/orders', url: `/api/v1/orders?accountId=${ACCOUNT}`, expected: 200 },
      { operation: 'GET /api/v1/orders', url: '/api/v1/orders?limit=0', expected: 400 },
      { operation: 'GET /api/v1/orders', url: `/api/v1/orders?accountId=${ACCOUNT}`, token: viewerToken, expected: 404 },
      { operation: 'GET /api/v1/orders/{orderId}', url: o(filledOrder), expected: 200 },
      { operation: 'GET /api/v1/orders/{orderId}', url: o(UNKNOWN_ORDER), expected: 404 },
      { operation: 'GET /api/v1/orders/{orderId}/status', url: `${o(filledOrder)}/status`, expected: 200 },
      { operation: 'GET /api/v1/orders/{orderId}/status', url: `${o('not-an-id')}/status`, expected: 404 },
      { operation: 'GET /api/v1/execution-quality', url: `/api/v1/execution-quality?accountId=${ACCOUNT}`, expected: 200 },
      { operation: 'GET /api/v1/execution-quality', url: '/api/v1/execution-quality', expected: 400 },
      { operation: 'PATCH /api/v1/orders/{orderId}', url: o(restingOrder), body: { quantity: 200 }, expected: 202 },
      { operation: 'PATCH /api/v1/orders/{orderId}', url: o(restingOrder), body: { side: 'SELL' }, expected: 400 },
      { operation: 'POST /api/v1/orders/{orderId}/replace', url: `${o(filledOrder)}/replace`, body: { quantity: 500 }, expected: 409 },
      { operation: 'POST /api/v1/orders/{orderId}/replace', url: `${o(UNKNOWN_ORDER)}/replace`, body: { quantity: 500 }, expected: 404 },
      { operation: 'DELETE /api/v1/orders/{orderId}', url: o(restingOrder), expected: 202 },
      { operation: 'DELETE /api/v1/orders/{orderId}', url: o(UNKNOWN_ORDER), expected: 404 },
      { operation: 'POST /api/v1/orders/{orderId}/cancel', url: `${o(filledOrder)}/cancel`, expected: 409 },
      { operation: 'POST /api/v1/orders/{orderId}/cancel', url: `${o(filledOrder)}/cancel`, token: viewerToken, expected: 403 },
      { operation: 'GET /api/v1/orders/stream', url: `/api/v1/orders/stream?accountId=${ACCOUNT}`, token: viewerToken, expected: 404 },
      { operation: 'GET /api/v1/marketdata/{symbol}', url: '/api/v1/marketdata/aapl', expected: 200 },
      { operation: 'GET /api/v1/marketdata/{symbol}', url: '/api/v1/marketdata/NOPE', expected: 404 },
      { operation: 'GET /api/v1/positions', url: `/api/v1/positions?accountId=${ACCOUNT}`, expected: 200 },
      { operation: 'GET /api/v1/positions', url: '/api/v1/positions', expected: 400 },
      {
        operation: 'PUT /api/v1/risk/limits/{accountId}',
        url: `/api/v1/risk/limits/${ACCOUNT}`,
        body: { maxOrderQuantity: 50_000, creditLimit: '1000000.50' },
        expected: 200,
      },
      { operation: 'PUT /api/v1/risk/limits/{accountId}', url: `/api/v1/risk/limits/${ACCOUNT}`, body: { maxOrderQuantity: -1 }, expected: 400 },
      { operation: 'GET /api/v1/risk/limits', url: '/api/v1/risk/limits', expected: 200 },
      { operation: 'GET /api/v1/risk/limits', url: '/api/v1/risk/limits', token: viewerToken, expected: 403 },
      { operation: 'GET /api/v1/risk/limits/{accountId}', url: `/api/v1/risk/limits/${ACCOUNT}`, expected: 200 },
      { operation: 'GET /api/v1/risk/limits/{accountId}', url: '/api/v1/risk/limits/bad%20id', expected: 400 },
      { operation: 'DELETE /api/v1/risk/limits/{accountId}', url: `/api/v1/risk/limits/${ACCOUNT}`, expected: 200 },
      { operation: 'DELETE /api/v1/risk/limits/{accountId}', url: `/api/v1/risk/limits/${ACCOUNT}`, expected: 404 },
      {
        operation: 'POST /api/v1/risk/kill-switch',
        url: '/api/v1/risk/kill-switch',
        body: { scope: 'ACCOUNT', accountId: 'ACC-CONTRACT-KS', reason: 'contract test' },
        expected: 201,
      },
      {
        operation: 'POST /api/v1/risk/kill-switch',
        url: '/api/v1/risk/kill-switch',
        body: { scope: 'ACCOUNT', accountId: 'ACC-CONTRACT-KS', reason: 'contract test' },
        expected: 200,
      },
      { operation: 'POST /api/v1/risk/kill-switch', url: '/api/v1/risk/kill-switch', body: { scope: 'SOME' }, expected: 400 },
      { operation: 'GET /api/v1/risk/kill-switch', url: '/api/v1/risk/kill-switch', expected: 200 },
      { operation: 'DELETE /api/v1/risk/kill-switch', url: '/api/v1/risk/kill-switch?scope=ACCOUNT&accountId=ACC-CONTRACT-KS&reason=done', expected: 200 },
      { operation: 'DELETE /api/v1/risk/kill-switch', url: '/api/v1/risk/kill-switch?scope=GLOBAL', expected: 404 },
      { operation: 'GET /api/v1/risk/audit', url: '/api/v1/risk/audit?limit=10', expected: 200 },
      { operation: 'GET /api/v1/risk/audit', url: '/api/v1/risk/audit?limit=x', expected: 400 },
      { operation: 'POST /api/v1/dev/token', url: '/api/v1/dev/token', body: { subject: 'a', roles: ['trader'], accounts: ['*'] }, expected: 200 },
      { operation: 'POST /api/v1/dev/token', url: '/api/v1/dev/token', body: { roles: 'x' }, expected: 400 },
      { operation: 'GET /api/v1/me', url: '/api/v1/me', expected: 200 },
      // Dev mode: the page needs no sign-in (the 200 is in auth-plugin.int.test.ts, against an issuer).
      { operation: 'GET /api/v1/auth/web-login', url: '/api/v1/auth/web-login', expected: 404 },
      { operation: 'GET /api/v1/me', url: '/api/v1/me', token: viewerToken, expected: 200 },
      { operation: 'GET /api/v1/me', url: '/api/v1/me', token: 'not-a-token', expected: 401 },
    ];

    const problems: string[] = [];
    for (const c of calls) {
      const answer = await call(c);
      if (answer.status !== c.expected) problems.push(`${c.operation} ${c.url}: expected ${c.expected}, got ${answer.status} ${JSON.stringify(answer.body)}`);
      problems.push(...checkAnswer(doc, c.operation, answer.status, answer.contentType, answer.body));
    }
    // The stream answers 200 with server-sent events; only its headers can be read before it ends.
    const stream = new AbortController();
    const events = await fetch(`${system.url}/api/v1/orders/stream?accountId=${ACCOUNT}`, { signal: stream.signal });
    problems.push(...checkAnswer(doc, 'GET /api/v1/orders/stream', events.status, events.headers.get('content-type') ?? '', undefined));
    stream.abort();

    expect(problems).toEqual([]);
    const exercised = new Set([...calls.map((c) => c.operation), 'GET /api/v1/orders/stream']);
    expect(
      operationsOf(doc).filter((op) => !exercised.has(op)),
      'documented operations without a case here',
    ).toEqual([]);
  });
});
