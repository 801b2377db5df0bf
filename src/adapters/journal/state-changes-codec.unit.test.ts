import { describe, expect, it } from 'vitest';
import { parsePrice, type Money } from '../../domain/money/price.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import { deny } from '../../domain/risk/decision.js';
import type { TrackedOrder } from '../../ports/order-store.js';
import type { StateChanges } from '../../ports/working-state.js';
import { decodeStateChanges, encodeStateChanges } from './state-changes-codec.js';

const T0 = new Date('2025-01-02T15:00:00.123Z');
const T1 = new Date('2025-01-02T15:00:01.456Z');
const px = (text: string) => parsePrice(text)!;
/** Beyond 2^53 raw units, so a detour through a JavaScript number would show. */
const HUGE = 123456789012345678901234567n as Money;

const everyField: StateChanges = {
  orders: [
    {
      order: {
        orderId: '0193f1a2-7b3c-7def-8abc-000000000001',
        clientOrderId: 'C-1',
        accountId: 'ACC-1',
        symbol: 'AAPL',
        side: 'SELL_SHORT',
        orderType: 'LIMIT',
        quantity: 300,
        limitPrice: px('150.12345678'),
        timeInForce: 'GTC',
        strategy: 'DARK_FIRST',
        status: 'PENDING_REPLACE',
        filledQuantity: 100,
        leavesQuantity: 200,
        filledNotional: HUGE,
        avgPrice: px('150.1'),
        rejectReason: 'a "quoted" reason \u00e9 \n',
        pendingReplace: { quantity: 400, limitPrice: px('151') },
        expiring: true,
        version: 7,
        createdAt: T0,
        updatedAt: T1,
      },
      routing: { requested: 2, decided: 1 },
    },
  ],
  history: [
    {
      orderId: '0193f1a2-7b3c-7def-8abc-000000000001',
      seq: 7,
      eventType: 'ReplaceRequested',
      status: 'PENDING_REPLACE',
      detail: { quantity: 400, nested: { list: [1, 'two', null, true] } },
      source: 'oms-api:client-1',
      occurredAt: T1,
    },
  ],
  children: [
    {
      childOrderId: 'K-1',
      parentOrderId: '0193f1a2-7b3c-7def-8abc-000000000001',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'SELL_SHORT',
      orderType: 'LIMIT',
      quantity: 300,
      limitPrice: px('150.12345678'),
      timeInForce: 'GTC',
      routeAttempt: 2,
      strategy: 'DARK_FIRST',
      nbboBid: px('150.1'),
      nbboAsk: px('150.2'),
      status: 'PARTIALLY_FILLED',
      cancelRequested: true,
      filledQuantity: 100,
      leavesQuantity: 200,
      createdAt: T0,
      updatedAt: T1,
    },
  ],
  fills: [
    {
      execId: 'E-1',
      orderId: '0193f1a2-7b3c-7def-8abc-000000000001',
      childOrderId: 'K-1',
      venue: 'XNYS',
      quantity: 100,
      price: px('150.1'),
      occurredAt: T1,
      accountId: 'ACC-1',
      symbol: 'AAPL',
      side: 'SELL_SHORT',
    },
  ],
  positions: [
    { accountId: 'ACC-1', symbol: 'AAPL', quantity: -100, costBasis: -HUGE as Money, realizedPnl: -1n as Money },
    { accountId: 'ACC-2', symbol: 'MSFT', quantity: 0, costBasis: 0n as Money, realizedPnl: 5n as Money },
  ],
  riskDecisions: [
    {
      order: {
        orderId: '0193f1a2-7b3c-7def-8abc-000000000001',
        clientOrderId: 'C-1',
        accountId: 'ACC-1',
        symbol: 'AAPL',
        side: 'SELL_SHORT',
        orderType: 'LIMIT',
        quantity: 300,
        limitPrice: px('150.12345678'),
        timeInForce: 'GTC',
        strategy: 'DARK_FIRST',
        createdAt: T0,
      },
      decision: { approved: true },
      decidedAt: T1,
    },
    {
      order: {
        orderId: '0193f1a2-7b3c-7def-8abc-000000000002',
        clientOrderId: 'C-2',
        accountId: 'ACC-1',
        symbol: 'AAPL',
        side: 'BUY',
        orderType: 'MARKET',
        quantity: 5,
        limitPrice: null,
        timeInForce: 'IOC',
        createdAt: T0,
      },
      decision: deny('MAX_QUANTITY', 'quantity 5 above 4'),
      decidedAt: T1,
    },
  ],
};

/** The optional fields absent, and the nullable ones null. */
const bareOrder: TrackedOrder = {
  order: {
    orderId: '0193f1a2-7b3c-7def-8abc-000000000003',
    clientOrderId: 'C-3',
    accountId: 'ACC-3',
    symbol: 'MSFT',
    side: 'BUY',
    orderType: 'MARKET',
    quantity: 10,
    limitPrice: null,
    timeInForce: 'DAY',
    status: 'PENDING_NEW',
    filledQuantity: 0,
    leavesQuantity: 10,
    filledNotional: 0n as Money,
    avgPrice: null,
    rejectReason: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
  },
  routing: { requested: 0, decided: 0 },
};
const bareChild: ChildOrder = {
  childOrderId: 'K-3',
  parentOrderId: '0193f1a2-7b3c-7def-8abc-000000000003',
  venue: 'ARCX',
  symbol: 'MSFT',
  side: 'BUY',
  orderType: 'MARKET',
  quantity: 10,
  limitPrice: null,
  timeInForce: 'DAY',
  routeAttempt: 1,
  status: 'ROUTED',
  filledQuantity: 0,
  leavesQuantity: 10,
  createdAt: T0,
  updatedAt: T0,
};

const roundTrip = (changes: StateChanges): StateChanges => decodeStateChanges(encodeStateChanges(changes));

describe('StateChanges codec', () => {
  it('round-trips every field: bigints beyond 2^53 exactly, dates to the millisecond, text as written', () => {
    const decoded = roundTrip(everyField);
    expect(decoded).toStrictEqual(everyField);
    expect(typeof decoded.positions[0]!.costBasis).toBe('bigint');
    expect(decoded.orders[0]!.order.createdAt).toBeInstanceOf(Date);
  });

  it('keeps absent optional fields absent and null ones null', () => {
    const changes: StateChanges = {
      orders: [
        bareOrder,
        { ...bareOrder, order: { ...bareOrder.order, orderId: '0193f1a2-7b3c-7def-8abc-000000000004', pendingReplace: null, expiring: false } },
      ],
      history: [],
      children: [bareChild, { ...bareChild, childOrderId: 'K-4', nbboBid: null, nbboAsk: null, cancelRequested: false }],
      fills: [],
      positions: [],
      riskDecisions: [],
    };
    const decoded = roundTrip(changes);
    expect(decoded).toStrictEqual(changes);
    expect('strategy' in decoded.orders[0]!.order).toBe(false);
    expect('pendingReplace' in decoded.orders[0]!.order).toBe(false);
    expect('expiring' in decoded.orders[0]!.order).toBe(false);
    expect(decoded.orders[1]!.order.pendingReplace).toBeNull();
    expect(['strategy', 'nbboBid', 'nbboAsk', 'cancelRequested'].filter((key) => key in decoded.children[0]!)).toEqual([]);
    expect(decoded.children[1]).toMatchObject({ nbboBid: null, nbboAsk: null, cancelRequested: false });
  });

  it('round-trips an empty record, and writes compact UTF-8 JSON', () => {
    const empty: StateChanges = { orders: [], history: [], children: [], fills: [], positions: [], riskDecisions: [] };
    expect(roundTrip(empty)).toStrictEqual(empty);
    const text = new TextDecoder().decode(encodeStateChanges(everyField));
    expect(text).not.toMatch(/\n\s/);
    expect(text).toContain(`"filledNotional":"${HUGE.toString()}"`);
    expect(text).toContain(`"createdAt":${T0.getTime()}`);
  });

  it('refuses a record of an unknown format', () => {
    expect(() => decodeStateChanges(new TextEncoder().encode('{"v":99,"orders":[]}'))).toThrow(/format 99/);
  });
});
