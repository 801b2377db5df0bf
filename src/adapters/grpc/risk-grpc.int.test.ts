import { randomBytes } from 'node:crypto';
import { Code } from '@connectrpc/connect';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePrice } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { NewOrder, Order } from '../../domain/order/order.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { defaultRiskLimits, type RiskDecision } from '../../domain/risk/pre-trade.js';
import { systemClock } from '../../ports/clock.js';
import type { SqlClient } from '../../ports/sql.js';
import { BadRequestSchema, Side } from '../../gen/oms/v1/order_pb.js';
import { RiskService as RiskServiceDesc } from '../../gen/oms/v1/risk_pb.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import { RiskService } from '../../services/risk-service/risk-service.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../simulation/market/market-config.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { DevTokenIssuer } from '../auth/dev-issuer.js';
import { ServiceTokenIssuer, ServiceTokenVerifier, type ServiceTokenIssuerOptions } from '../auth/service-token.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { SqlRiskDecisionStore } from '../sql/risk/sql-risk-decisions.js';
import { migratedPglite } from '../sql/test-support/pglite.js';
import { orderToProto } from './order-grpc-messages.js';
import { RiskGrpcClient } from './risk-grpc-client.js';
import { riskGrpcRoutes } from './risk-grpc-service.js';
import { failure, startGrpcTestServer } from './test-support/grpc.js';

// As oms-core and risk-service are deployed: one shared secret, tokens from oms-core for risk-service.
const SECRET = randomBytes(32).toString('base64url');
const tokensOf = (options: Partial<ServiceTokenIssuerOptions> = {}) =>
  new ServiceTokenIssuer({ secret: SECRET, caller: 'oms-core', audience: 'risk-service', ...options });
const riskServiceAuth = () => new ServiceTokenVerifier({ secret: SECRET, audience: 'risk-service', callers: ['oms-core'] });

const order = (terms: Partial<NewOrder> = {}): Order =>
  createOrder(
    uuidv7(),
    {
      clientOrderId: 'C-1',
      accountId: 'ACC-1',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'LIMIT',
      quantity: 100,
      limitPrice: parsePrice('150.00')!,
      timeInForce: 'DAY',
      ...terms,
    },
    new Date(),
  );

describe('RiskService over gRPC', () => {
  let grpc: Awaited<ReturnType<typeof startGrpcTestServer>>;
  let client: RiskGrpcClient;
  let db: SqlClient;

  // One database for the suite: PGlite takes seconds to start.
  beforeAll(async () => {
    db = await migratedPglite();
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    const market = new SimulatedMarket({ seed: 42, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS']) });
    const policy = { defaults: { ...defaultRiskLimits(), restrictedSymbols: new Set(['TSLA']) }, knownAccounts: 'ANY' as const };
    const risk = new RiskService({ policy, store: new SqlRiskDecisionStore(db), marketData: market, clock: systemClock, metrics: createMetrics() });
    grpc = await startGrpcTestServer(riskGrpcRoutes({ risk, auth: riskServiceAuth() }));
    client = new RiskGrpcClient({ baseUrl: grpc.baseUrl, credentials: tokensOf() });
  });

  afterEach(async () => {
    await client.stop();
    await grpc.close();
  });

  it('approves an order within the limits', async () => {
    await expect(client.check(order())).resolves.toEqual({ approved: true });
    await expect(client.check(order({ orderType: 'MARKET', limitPrice: null, side: 'SELL_SHORT', strategy: 'DARK_FIRST' }))).resolves.toEqual({
      approved: true,
    });
  });

  it('sends checks asked together as one call and gives each order its own decision, in order', async () => {
    const orders = Array.from({ length: 60 }, (_, i) => order({ clientOrderId: `B-${i}`, symbol: i % 3 === 0 ? 'TSLA' : 'AAPL' }));
    const decisions = await Promise.all(orders.map((o) => client.check(o)));
    expect(decisions.map((d) => d.approved)).toEqual(orders.map((o) => o.symbol !== 'TSLA'));
    expect(decisions.filter((d) => !d.approved).every((d) => !d.approved && d.code === 'RESTRICTED_SYMBOL')).toBe(true);
  });

  it('returns a rejection with its code and reason', async () => {
    await expect(client.check(order({ symbol: 'TSLA' }))).resolves.toEqual({
      approved: false,
      code: 'RESTRICTED_SYMBOL',
      reason: 'TSLA is on the restricted list',
    });
    const collar = await client.check(order({ limitPrice: parsePrice('400.00')! }));
    expect(collar).toMatchObject({ approved: false, code: 'PRICE_COLLAR' });
  });

  it('answers INVALID_ARGUMENT for an order it cannot check, naming the fields', async () => {
    const raw = grpc.client(RiskServiceDesc);
    const options = { headers: { authorization: `Bearer ${await tokensOf().token()}` } };
    const message = orderToProto(toSnapshot(order({ orderType: 'MARKET', limitPrice: null })));
    message.side = Side.UNSPECIFIED;
    message.limitPrice = 'abc';
    const error = await failure(raw.checkOrder({ order: message }, options));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(['side']);
    message.side = Side.SELL;
    const terms = await failure(raw.checkOrder({ order: message }, options));
    expect(terms.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(['limit_price']);
  });

  it('throws, never approves, when the server is down or too slow', async () => {
    const { port } = grpc.server;
    await grpc.close();
    const down = new RiskGrpcClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1_000, credentials: tokensOf() });
    expect((await failure(down.check(order()))).code).toBe(Code.Unavailable);
    await down.stop();

    const hanging: PreTradeRisk = { check: () => new Promise<RiskDecision>(() => {}) };
    const slow = await startGrpcTestServer(riskGrpcRoutes({ risk: hanging, auth: riskServiceAuth() }));
    const impatient = new RiskGrpcClient({ baseUrl: slow.baseUrl, timeoutMs: 200, credentials: tokensOf() });
    expect((await failure(impatient.check(order()))).code).toBe(Code.DeadlineExceeded);
    await impatient.stop();
    await slow.close();
  });
});

// Issue 14: the check spends the account's throttle, so whoever reached the port could reject its orders.
describe('RiskService service tokens', () => {
  let grpc: Awaited<ReturnType<typeof startGrpcTestServer>>;
  let db: SqlClient;

  beforeAll(async () => {
    db = await migratedPglite();
    const market = new SimulatedMarket({ seed: 42, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS']) });
    const policy = { defaults: { ...defaultRiskLimits(), maxOrdersPerSecond: 1 }, knownAccounts: 'ANY' as const };
    const risk = new RiskService({ policy, store: new SqlRiskDecisionStore(db), marketData: market, clock: systemClock, metrics: createMetrics() });
    grpc = await startGrpcTestServer(riskGrpcRoutes({ risk, auth: riskServiceAuth() }));
  });

  afterAll(async () => {
    await grpc.close();
    await db.close();
  });

  const bearer = async (tokens: { token(): Promise<string> }) => `Bearer ${await tokens.token()}`;
  const tenMinutesAgo = () => Date.now() - 10 * 60_000;

  it('answers UNAUTHENTICATED to a call without a valid token, and the refusals spend nothing of the throttle', async () => {
    const accountId = `ACC-${uuidv7()}`;
    const raw = grpc.client(RiskServiceDesc);
    const request = { orders: [orderToProto(toSnapshot(order({ accountId })))] };
    const refused: Record<string, string | undefined> = {
      'no token': undefined,
      'not a bearer token': `Basic ${Buffer.from('oms-core:secret').toString('base64')}`,
      'another secret': await bearer(new ServiceTokenIssuer({ secret: randomBytes(32).toString('base64url'), caller: 'oms-core', audience: 'risk-service' })),
      'another audience': await bearer(tokensOf({ audience: 'marketdata-simulator' })),
      'a caller not allowed': await bearer(tokensOf({ caller: 'oms-ingest' })),
      expired: await bearer(tokensOf({ now: tenMinutesAgo })),
      'issued too long ago, though not expired': await bearer(tokensOf({ now: tenMinutesAgo, ttlSeconds: 86_400 })),
      "a user's token": await bearer({
        token: () => new DevTokenIssuer('risk-service').issue({ subject: 'oms-core', roles: ['trader'], accounts: ['*'], expiresInSeconds: 60 }),
      }),
    };
    for (const [what, authorization] of Object.entries(refused)) {
      for (let i = 0; i < 3; i++) {
        const error = await failure(raw.checkOrders(request, { headers: authorization === undefined ? {} : { authorization } }));
        expect([what, error.code]).toEqual([what, Code.Unauthenticated]);
      }
    }
    expect((await failure(raw.checkOrders(request, { headers: { authorization: refused.expired! } }))).rawMessage).toBe('the service token has expired');

    // oms-core's own client: the account's first order of the second passes, the second is throttled.
    const client = new RiskGrpcClient({ baseUrl: grpc.baseUrl, credentials: tokensOf() });
    try {
      const decisions = await Promise.all([client.check(order({ accountId, clientOrderId: 'T-1' })), client.check(order({ accountId, clientOrderId: 'T-2' }))]);
      expect(decisions).toMatchObject([{ approved: true }, { approved: false, code: 'THROTTLED' }]);
    } finally {
      await client.stop();
    }
  });

  it('renews its token before it expires', async () => {
    // Its clock starts 160 s back, so the renewed token is issued now (a token from the future is refused).
    let now = Date.now() - 160_000;
    const tokens = tokensOf({ now: () => now });
    const first = await tokens.token();
    now += 100_000;
    expect(await tokens.token()).toBe(first);
    now += 60_000;
    const renewed = await tokens.token();
    expect(renewed).not.toBe(first);
    expect(await riskServiceAuth().verify(`Bearer ${renewed}`)).toEqual({ ok: true, caller: 'oms-core' });
  });
});
