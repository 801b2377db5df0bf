import type { OrderSnapshot } from '../../../domain/events/messages.js';

/** A plausible order snapshot at the given version. */
export function snapshot(orderId: string, version: number, overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    orderId,
    clientOrderId: `c-${orderId}`,
    accountId: 'ACC-1',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 100,
    limitPrice: '150.25',
    timeInForce: 'DAY',
    status: 'NEW',
    filledQuantity: 0,
    leavesQuantity: 100,
    avgPrice: null,
    rejectReason: null,
    version,
    createdAt: '2026-01-05T14:30:00.000Z',
    updatedAt: '2026-01-05T14:30:00.000Z',
    ...overrides,
  };
}
