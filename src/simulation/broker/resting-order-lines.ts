import { readFileSync } from 'node:fs';
import type { Money, Price } from '../../domain/money/price.js';
import { ORDER_TYPES, SIDES, TIMES_IN_FORCE } from '../../domain/order/enums.js';
import type { RestingOrder } from '../venue/venue-matching-engine.js';

/** A resting order as kept, with when it first rested (a DAY order lives until its trading day ends). */
export interface SavedOrder extends RestingOrder {
  readonly restedAt: number;
}

/** An order's state as a line of the log. Prices and money as raw units (10^-8) in decimal text. */
interface OrderLine {
  clOrdId: string;
  orderId: string;
  symbol: string;
  side: string;
  orderType: string;
  quantity: number;
  limitPrice: string | null;
  timeInForce: string;
  cumQty: number;
  leavesQty: number;
  notional: string;
  queueAhead: number;
  restedAt: number;
}

/** An order's state as one line. */
export const orderLine = (saved: SavedOrder): string => `${JSON.stringify(toLine(saved))}\n`;

/** An order's end (filled, canceled) as one line. */
export const goneLine = (clOrdId: string): string => `${JSON.stringify({ clOrdId, gone: true })}\n`;

const toLine = (saved: SavedOrder): OrderLine => ({
  clOrdId: saved.order.clOrdId,
  orderId: saved.orderId,
  symbol: saved.order.symbol,
  side: saved.order.side,
  orderType: saved.order.orderType,
  quantity: saved.order.quantity,
  limitPrice: saved.order.limitPrice === null ? null : saved.order.limitPrice.toString(),
  timeInForce: saved.order.timeInForce,
  cumQty: saved.cumQty,
  leavesQty: saved.leavesQty,
  notional: saved.notional.toString(),
  queueAhead: saved.queueAhead,
  restedAt: saved.restedAt,
});

/** The orders the file holds at its end: each line replaces (or ends) the order it names. */
export function readSavedOrders(path: string): Map<string, SavedOrder> {
  const held = new Map<string, SavedOrder>();
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseLine(lines[i]!);
    if (parsed === undefined) {
      // Only the last line can be torn (a crash mid-append; the rewrite at open drops it). Anywhere else the file is damaged.
      if (i === lines.length - 1) break;
      throw new Error(`${path}: line ${i + 1} is not a resting order record`);
    }
    if ('gone' in parsed) held.delete(parsed.clOrdId);
    else held.set(parsed.order.clOrdId, parsed);
  }
  return held;
}

const isRawUnits = (value: unknown): value is string => typeof value === 'string' && /^-?\d+$/.test(value);

function parseLine(line: string): SavedOrder | { clOrdId: string; gone: true } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.clOrdId !== 'string') return undefined;
  if (v.gone === true) return { clOrdId: v.clOrdId, gone: true };
  const side = SIDES.find((s) => s === v.side);
  const orderType = ORDER_TYPES.find((t) => t === v.orderType);
  const timeInForce = TIMES_IN_FORCE.find((t) => t === v.timeInForce);
  const numbers = [v.quantity, v.cumQty, v.leavesQty, v.queueAhead, v.restedAt];
  if (!side || !orderType || !timeInForce || typeof v.orderId !== 'string' || typeof v.symbol !== 'string') return undefined;
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n)) || !isRawUnits(v.notional) || !(v.limitPrice === null || isRawUnits(v.limitPrice)))
    return undefined;
  return {
    order: {
      clOrdId: v.clOrdId,
      symbol: v.symbol,
      side,
      orderType,
      quantity: v.quantity as number,
      limitPrice: v.limitPrice === null ? null : (BigInt(v.limitPrice) as Price),
      timeInForce,
    },
    orderId: v.orderId,
    cumQty: v.cumQty as number,
    leavesQty: v.leavesQty as number,
    notional: BigInt(v.notional) as Money,
    queueAhead: v.queueAhead as number,
    restedAt: v.restedAt as number,
  };
}
