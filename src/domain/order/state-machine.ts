import type { OrderStatus } from './enums.js';

/** What can happen to an order, named as transitions of its FIX OrdStatus. */
export type Transition =
  | 'ACCEPT'
  | 'REJECT'
  | 'PARTIAL_FILL'
  | 'FILL'
  | 'CANCEL_REQUEST'
  | 'CANCEL'
  | 'CANCEL_REJECT'
  | 'REPLACE_REQUEST'
  | 'REPLACE'
  | 'REPLACE_REJECT'
  | 'EXPIRE'
  | 'DONE_FOR_DAY'
  | 'RESTATE';

/**
 * RESUME: back to NEW or PARTIALLY_FILLED, whichever the order's fills say; STAY: the status does
 * not change (a partial fill while a cancel or replace is pending keeps it pending).
 */
type Target = OrderStatus | 'RESUME' | 'STAY';

const WORKING: Partial<Record<Transition, Target>> = {
  PARTIAL_FILL: 'PARTIALLY_FILLED',
  FILL: 'FILLED',
  CANCEL_REQUEST: 'PENDING_CANCEL',
  CANCEL: 'CANCELED',
  REPLACE_REQUEST: 'PENDING_REPLACE',
  EXPIRE: 'EXPIRED',
  DONE_FOR_DAY: 'DONE_FOR_DAY',
  // Something about how the order is worked changed, not its status (a child re-placed at a venue that lost it).
  RESTATE: 'STAY',
};

/** The whole state machine. Anything not in the table is an invalid transition. */
const TABLE: Readonly<Record<OrderStatus, Partial<Record<Transition, Target>>>> = {
  PENDING_NEW: { ACCEPT: 'NEW', REJECT: 'REJECTED', CANCEL: 'CANCELED', EXPIRE: 'EXPIRED' },
  // REJECT after NEW: every venue refused the order before anything traded (checked by the caller).
  NEW: { ...WORKING, REJECT: 'REJECTED' },
  PARTIALLY_FILLED: WORKING,
  // Fills race cancels and replaces: the venue may fill before it sees the request.
  PENDING_CANCEL: { PARTIAL_FILL: 'STAY', FILL: 'FILLED', CANCEL: 'CANCELED', CANCEL_REJECT: 'RESUME', EXPIRE: 'EXPIRED' },
  PENDING_REPLACE: { PARTIAL_FILL: 'STAY', FILL: 'FILLED', REPLACE: 'RESUME', REPLACE_REJECT: 'RESUME', CANCEL: 'CANCELED', EXPIRE: 'EXPIRED' },
  DONE_FOR_DAY: { CANCEL: 'CANCELED', EXPIRE: 'EXPIRED' },
  FILLED: {},
  CANCELED: {},
  REPLACED: {},
  REJECTED: {},
  EXPIRED: {},
};

export interface InvalidTransition {
  readonly code: 'INVALID_TRANSITION';
  readonly from: OrderStatus;
  readonly transition: Transition;
}

/** The status after `transition`, or why it is not allowed from `from`. */
export function nextStatus(from: OrderStatus, transition: Transition, hasFills: boolean): OrderStatus | InvalidTransition {
  const target = TABLE[from][transition];
  if (target === undefined) return { code: 'INVALID_TRANSITION', from, transition };
  if (target === 'STAY') return from;
  if (target === 'RESUME') return hasFills ? 'PARTIALLY_FILLED' : 'NEW';
  return target;
}

export const isInvalidTransition = (value: OrderStatus | InvalidTransition): value is InvalidTransition => typeof value === 'object';
