import type { RoutingStrategy } from '../strategy-types.js';
import { routeFeeAwareTaking } from './fee-aware-taking.js';

/**
 * SWEEP: takes all displayed size at or better than the limit across venues and levels, cheapest
 * effective price first, as one IOC child per venue limited at the worst level it takes there.
 */
export const routeSweep: RoutingStrategy = (order, market) => routeFeeAwareTaking('SWEEP', order, market, 'DEPTH');
