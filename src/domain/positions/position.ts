import type { Money, Price } from '../money/price.js';
import type { Side } from '../order/enums.js';

/**
 * A net position with average-cost accounting. `quantity` is signed (short below zero) and
 * `costBasis` is the signed cost of the open quantity, so average cost = costBasis / quantity.
 */
export interface Position {
  readonly accountId: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly costBasis: Money;
  readonly realizedPnl: Money;
}

export function emptyPosition(accountId: string, symbol: string): Position {
  return { accountId, symbol, quantity: 0, costBasis: 0n as Money, realizedPnl: 0n as Money };
}

/** Applies one fill. A fill that crosses zero closes the old position and opens the rest on the other side. */
export function applyFillToPosition(position: Position, side: Side, quantity: number, price: Price): Position {
  const signedFill = side === 'BUY' ? quantity : -quantity;
  let { quantity: held, costBasis, realizedPnl } = position;
  const closing = held !== 0 && Math.sign(held) !== Math.sign(signedFill);
  let opening = signedFill;
  if (closing) {
    const closeQty = Math.min(Math.abs(signedFill), Math.abs(held));
    const costRemoved = divideRounded(costBasis * BigInt(closeQty), BigInt(Math.abs(held)));
    const signedClose = Math.sign(signedFill) * closeQty;
    // Selling out of a long earns the proceeds minus the cost; buying back a short the reverse.
    realizedPnl = (realizedPnl - BigInt(signedClose) * price - costRemoved) as Money;
    costBasis = (costBasis - costRemoved) as Money;
    held += signedClose;
    opening = signedFill - signedClose;
  }
  costBasis = (costBasis + BigInt(opening) * price) as Money;
  held += opening;
  return { ...position, quantity: held, costBasis, realizedPnl };
}

/** Mark-to-market P&L of the open quantity. */
export function unrealizedPnl(position: Position, markPrice: Price): Money {
  return (BigInt(position.quantity) * markPrice - position.costBasis) as Money;
}

/** Average cost per share of the open quantity, or null when flat. */
export function averageCost(position: Position): Price | null {
  if (position.quantity === 0) return null;
  return divideRounded(position.costBasis, BigInt(position.quantity)) as Price;
}

/** Integer division rounding half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}
