import type { OrderType, Side, TimeInForce } from '../../domain/order/enums.js';
import type { OrderTerms } from '../../domain/order/order.js';
import type { Price } from '../../domain/money/price.js';
import type { SimulatedMarket } from '../market/simulated-market.js';
import { SeededRandom } from '../market/random.js';

/**
 * A client's parent order before it meets the market. The limit is kept as ticks from the fair
 * price, not as a price, so every strategy's replay gets the same limit: the fair price walk does
 * not depend on what we trade, while the books (and so the NBBO) do.
 */
export interface ParentIntent {
  readonly id: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly timeInForce: TimeInForce;
  /** LIMIT only: ticks beyond the fair price in the aggressive direction (0 = at fair, inside the spread). */
  readonly limitTicks: number | null;
}

const pick = <T>(random: SeededRandom, values: readonly T[]): T => values[random.int(0, values.length - 1)]!;

/** Odd lots, round lots and blocks; the blocks are where routing across venues pays. */
function orderSize(random: SeededRandom): number {
  const bucket = random.int(1, 100);
  if (bucket <= 15) return random.int(1, 99);
  if (bucket <= 65) return random.int(1, 10) * 100;
  return random.int(10, 60) * 100;
}

/** A seeded flow: 10% MARKET, the rest LIMIT at or through the touch, IOC or DAY. */
export function generateParentFlow(seed: number, count: number, symbols: readonly string[]): ParentIntent[] {
  const random = new SeededRandom(seed * 7919 + 1);
  return Array.from({ length: count }, (_, i) => {
    const kind = random.int(1, 100);
    const side: Side = random.int(0, 1) === 0 ? 'BUY' : 'SELL';
    const base = { id: `P${i + 1}`, symbol: pick(random, symbols), side, quantity: orderSize(random) };
    if (kind <= 10) return { ...base, orderType: 'MARKET', timeInForce: 'DAY', limitTicks: null };
    if (kind <= 65) return { ...base, orderType: 'LIMIT', timeInForce: 'IOC', limitTicks: pick(random, [1, 2, 2, 3, 5]) };
    return { ...base, orderType: 'LIMIT', timeInForce: 'DAY', limitTicks: pick(random, [0, 1, 1, 2, 3]) };
  });
}

/** The parent's terms at arrival: the limit placed against the market's fair price now. */
export function parentTerms(intent: ParentIntent, market: SimulatedMarket): OrderTerms {
  const fair = market.referencePrice(intent.symbol)!;
  const tick = market.tick(intent.symbol)!;
  const direction = intent.side === 'BUY' ? 1n : -1n;
  const limitPrice = intent.limitTicks === null ? null : ((fair + direction * BigInt(intent.limitTicks) * tick) as Price);
  return { symbol: intent.symbol, side: intent.side, orderType: intent.orderType, quantity: intent.quantity, limitPrice, timeInForce: intent.timeInForce };
}
