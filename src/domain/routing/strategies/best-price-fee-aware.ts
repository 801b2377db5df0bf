import type { RoutingStrategy } from '../strategy-types.js';
import { routeFeeAwareTaking } from './fee-aware-taking.js';

/**
 * BEST_PRICE_FEE_AWARE: takes only each venue's top of book, cheapest effective price first
 * (buyer: price + taker fee; seller: price - taker fee). For when depth is stale or absent.
 */
export const routeBestPriceFeeAware: RoutingStrategy = (order, market) => routeFeeAwareTaking('BEST_PRICE_FEE_AWARE', order, market, 'TOP');
