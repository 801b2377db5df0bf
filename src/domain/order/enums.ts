/** Order vocabulary. Values are the API's upper-snake-case names; FIX codes live in the FIX mapping. */

export const SIDES = ['BUY', 'SELL', 'SELL_SHORT'] as const;
export type Side = (typeof SIDES)[number];

export const ORDER_TYPES = ['MARKET', 'LIMIT'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIMES_IN_FORCE = ['DAY', 'GTC', 'IOC', 'FOK'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/** FIX OrdStatus (39) names. */
export const ORDER_STATUSES = [
  'PENDING_NEW',
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'CANCELED',
  'PENDING_REPLACE',
  'REPLACED',
  'REJECTED',
  'EXPIRED',
  'DONE_FOR_DAY',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A status from which the order can never move again. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['FILLED', 'CANCELED', 'REPLACED', 'REJECTED', 'EXPIRED']);

export const isTerminal = (status: OrderStatus): boolean => TERMINAL_STATUSES.has(status);

/** A buy lifts offers; both sell sides hit bids. */
export const isBuy = (side: Side): boolean => side === 'BUY';
