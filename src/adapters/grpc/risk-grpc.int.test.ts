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
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../simulation/market/config.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { createMetrics } from '../observability/metrics.js';
import { SqlRiskDecisionStore } from '../sql/sql-risk-decisions.js';
import { migratedPglite } from '../sql/test-support/pglite.js';
import { orderToProto } from './order-messages.js';
import { RiskGrpcClient } from './risk-grpc-client.js';
import { riskGrpcRoutes } from './risk-grpc-service.js';
import { failure, startGrpcTestServer } from './test-support/grpc.js';

const order = (terms: Partial<NewOrder> = {}): Order =>
  createOrder(
    uuidv7(),
    { clientOrderId: 'C-1', accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 100, limitPrice: parsePrice('150.00')!, timeInForce: 'DAY', ...terms },
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
    grpc = await startGrpcTestServer(riskGrpcRoutes({ risk }));
    client = new RiskGrpcClient({ baseUrl: grpc.baseUrl });
  });

  afterEach(async () => {
    await client.stop();
    await grpc.close();
  });

  it('approves an order within the limits', async () => {
    await expect(client.check(order())).resolves.toEqual({ approved: true });
    await expect(client.check(order({ orderType: 'MARKET', limitPrice: null, side: 'SELL_SHORT', strategy: 'DARK_FIRST' }))).resolves.toEqual({ approved: true });
  });

  it('sends checks asked together as one call and gives each order its own decision, in order', async () => {
    const orders = Array.from({ length: 60 }, (_, i) => order({ clientOrderId: `B-${i}`, symbol: i % 3 === 0 ? 'TSLA' : 'AAPL' }));
    const decisions = await Promise.all(orders.map((o) => client.check(o)));
    expect(decisions.map((d) => d.approved)).toEqual(orders.map((o) => o.symbol !== 'TSLA'));
    expect(decisions.filter((d) => !d.approved).every((d) => !d.approved && d.code === 'RESTRICTED_SYMBOL')).toBe(true);
  });

  it('returns a rejection with its code and reason', async () => {
    await expect(client.check(order({ symbol: 'TSLA' }))).resolves.toEqual({ approved: false, code: 'RESTRICTED_SYMBOL', reason: 'TSLA is on the restricted list' });
    const collar = await client.check(order({ limitPrice: parsePrice('400.00')! }));
    expect(collar).toMatchObject({ approved: false, code: 'PRICE_COLLAR' });
  });

  it('answers INVALID_ARGUMENT for an order it cannot check, naming the fields', async () => {
    const raw = grpc.client(RiskServiceDesc);
    const message = orderToProto(toSnapshot(order({ orderType: 'MARKET', limitPrice: null })));
    message.side = Side.UNSPECIFIED;
    message.limitPrice = 'abc';
    const error = await failure(raw.checkOrder({ order: message }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(['side']);
    message.side = Side.SELL;
    const terms = await failure(raw.checkOrder({ order: message }));
    expect(terms.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(['limit_price']);
  });

  it('throws, never approves, when the server is down or too slow', async () => {
    const { port } = grpc.server;
    await grpc.close();
    const down = new RiskGrpcClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1_000 });
    expect((await failure(down.check(order()))).code).toBe(Code.Unavailable);
    await down.stop();

    const hanging: PreTradeRisk = { check: () => new Promise<RiskDecision>(() => {}) };
    const slow = await startGrpcTestServer(riskGrpcRoutes({ risk: hanging }));
    const impatient = new RiskGrpcClient({ baseUrl: slow.baseUrl, timeoutMs: 200 });
    expect((await failure(impatient.check(order()))).code).toBe(Code.DeadlineExceeded);
    await impatient.stop();
    await slow.close();
  });
});
