import { formatDecimal, parsePrice, type Price } from '../../money/price.js';
import type { Side, TimeInForce } from '../../order/enums.js';
import type { StrategyPlan } from '../strategy-types.js';
import type { RoutableOrder } from '../types.js';
import type { MarketView, VenueBook } from '../venue-book.js';

/** Hand-built books for routing tests: prices as decimal strings, levels as [price, size]. */

export const p = (text: string): Price => {
  const price = parsePrice(text);
  if (price === undefined) throw new Error(`bad price ${text}`);
  return price;
};

type Levels = readonly (readonly [string, number])[];

export interface LitOptions {
  readonly bids?: Levels;
  readonly asks?: Levels;
  readonly takerFee?: string;
  readonly makerRebate?: string;
  readonly protected?: boolean;
}

const levels = (input: Levels = []) => input.map(([price, size]) => ({ price: p(price), size }));

export function lit(name: string, options: LitOptions = {}): VenueBook {
  return {
    profile: { name, kind: 'LIT', takerFee: p(options.takerFee ?? '0'), makerRebate: p(options.makerRebate ?? '0'), protected: options.protected ?? true },
    bids: levels(options.bids),
    asks: levels(options.asks),
  };
}

export function dark(name: string, takerFee = '0'): VenueBook {
  return { profile: { name, kind: 'DARK', takerFee: p(takerFee), makerRebate: p('0'), protected: false }, bids: [], asks: [] };
}

export const market = (...venues: VenueBook[]): MarketView => ({ venues });

/** A LIMIT order, or a MARKET one when the limit is null. */
export function order(side: Side, quantity: number, limit: string | null, timeInForce: TimeInForce = 'IOC'): RoutableOrder {
  return { side, quantity, orderType: limit === null ? 'MARKET' : 'LIMIT', limitPrice: limit === null ? null : p(limit), timeInForce };
}

/** "venue:qty@limit:TIF", with ":ISO" for an intermarket sweep and ":POST"/":DARK" by purpose. */
export function summary(plan: StrategyPlan): string[] {
  return plan.children.map((c) => {
    const limit = c.limitPrice === null ? 'MKT' : formatDecimal(c.limitPrice);
    const purpose = c.purpose === 'TAKE' ? '' : c.purpose === 'POST' ? ':POST' : ':DARK';
    return `${c.venue}:${c.quantity}@${limit}:${c.timeInForce}${purpose}${c.intermarketSweep ? ':ISO' : ''}`;
  });
}
