import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildExecutionType, ExecutionReported } from '../../domain/events/messages.js';
import { TOPICS } from '../../domain/events/topics.js';
import { parseDecimal } from '../../domain/money/price.js';
import type { Side } from '../../domain/order/enums.js';
import { SqlOrderRecords } from '../../adapters/sql/orders/sql-order-records.js';
import { OrderQueryService } from '../oms-ingest/order-query-service.js';
import { SqlOrderStore } from '../../adapters/sql/orders/sql-order-store.js';
import { migratedPglite } from '../../adapters/sql/test-support/pglite.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { SqlClient } from '../../ports/sql.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../simulation/market/market-config.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { executionEventId } from '../execution-adapter/execution-report-publisher.js';
import { PositionConsumer } from './position-consumer.js';

const ACCOUNT = 'POS-ACC';
let offset = 0n;

/** An ExecutionReport as the execution adapter publishes it: its event id comes from (venue, ExecID). */
function report(
  execId: string,
  side: Side,
  lastQty: number,
  lastPx: string | null,
  execType: ChildExecutionType = 'TRADE',
): DeliveredMessage<ExecutionReported> {
  const payload: ExecutionReported = {
    type: 'ExecutionReported',
    accountId: ACCOUNT,
    symbol: 'AAPL',
    side,
    execId,
    childOrderId: 'child-1',
    parentOrderId: '00000000-0000-7000-8000-000000000001',
    venue: 'XNYS',
    execType,
    lastQty,
    lastPx,
    childCumQty: 0,
    childLeavesQty: 0,
    text: null,
    transactTime: new Date().toISOString(),
  };
  return { topic: TOPICS.executionsFills, key: payload.parentOrderId, eventId: executionEventId('XNYS', execId), payload, offset: offset++, partition: 0 };
}

describe('positions from fills', () => {
  let db: SqlClient;
  let consumer: PositionConsumer;
  let queries: OrderQueryService;
  const market = new SimulatedMarket({ seed: 42, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS']) });

  beforeAll(async () => {
    db = await migratedPglite();
    consumer = new PositionConsumer(new SqlOrderStore(db));
    queries = new OrderQueryService(new SqlOrderRecords(db), market);
  });
  afterAll(() => db.close());

  const position = async () => (await queries.positions(ACCOUNT))[0];

  it('averages the cost over partial fills, ignoring acks and cancels', async () => {
    await consumer.handle([report('E1', 'BUY', 100, '10'), report('A1', 'BUY', 0, null, 'NEW')]);
    await consumer.handle([report('E2', 'BUY', 50, '11'), report('C1', 'BUY', 0, null, 'CANCELED')]);
    expect(await position()).toMatchObject({ symbol: 'AAPL', quantity: 150, costBasis: '1550', averageCost: '10.33333333', realizedPnl: '0' });
  });

  it('applies a replayed fill once, whether it comes again in a later batch or twice in one', async () => {
    await consumer.handle([report('E1', 'BUY', 100, '10')]);
    await consumer.handle([report('E3', 'BUY', 10, '12'), report('E3', 'BUY', 10, '12'), report('E2', 'BUY', 50, '11')]);
    expect(await position()).toMatchObject({ quantity: 160, costBasis: '1670' });
  });

  it('realises P&L on a sale at the average cost and marks the rest to the simulated market', async () => {
    await consumer.handle([report('E4', 'SELL', 60, '12')]);
    await consumer.handle([report('E4', 'SELL', 60, '12')]);
    const held = (await position())!;
    // 60 of 160 at an average of 10.4375 cost 626.25; sold for 720.
    expect(held).toMatchObject({ quantity: 100, costBasis: '1043.75', averageCost: '10.4375', realizedPnl: '93.75' });
    const mark = parseDecimal(held.markPrice!)!;
    expect(parseDecimal(held.unrealizedPnl!)).toBe(100n * mark - parseDecimal('1043.75')!);
  });
});
