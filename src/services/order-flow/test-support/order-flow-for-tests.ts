import { v7 as uuidv7 } from 'uuid';
import { encodeStateChanges } from '../../../adapters/journal/state-changes-codec.js';
import { createLogger } from '../../../adapters/observability/pino-logger.js';
import { createMetrics } from '../../../adapters/observability/prometheus-metrics.js';
import { systemClock } from '../../../ports/clock.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../../simulation/market/market-config.js';
import { SimulatedMarket } from '../../../simulation/market/simulated-market.js';
import { RiskBook } from '../../risk-service/risk-book.js';
import { riskPolicyFrom } from '../../../config/risk-policy.js';
import { Router } from '../../sor-engine/router.js';
import { OrderFlow, type OrderFlowDeps } from '../order-flow.js';

export const silentLogger = createLogger({ level: 'silent', name: 'test' });

/** Risk limits that pass every test order: the flow's own behaviour is under test, not risk's. */
export const PERMISSIVE_RISK = {
  maxOrderQuantity: 1_000_000,
  maxOrderNotional: '10000000',
  priceCollarBps: 1000,
  restrictedSymbols: [],
  knownAccounts: 'ANY' as const,
  creditLimit: null,
  maxPosition: null,
  duplicateWindowMs: 0,
  maxOrdersPerSecond: null,
};

/** The seeded market of two simulated venues, XNYS and XNAS, that the flow's tests route to. */
export const twoVenueMarket = (): SimulatedMarket => new SimulatedMarket({ seed: 7, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS']) });

export const permissiveRiskBook = (market: SimulatedMarket): RiskBook => new RiskBook({ policy: riskPolicyFrom(PERMISSIVE_RISK), marketData: market });

/**
 * The embedded order flow as the tests use it: permissive risk and the router over `market`, a
 * silent logger, the real journal codec; no order stored before, and callbacks that do nothing
 * unless the test gives its own (any dependency may be replaced).
 */
export function orderFlowForTests(deps: Pick<OrderFlowDeps, 'live' | 'journal' | 'venues'> & Partial<OrderFlowDeps> & { market?: SimulatedMarket }): OrderFlow {
  const { market = twoVenueMarket(), ...given } = deps;
  const metrics = createMetrics();
  return new OrderFlow({
    risk: permissiveRiskBook(market),
    router: new Router({ marketData: market, venues: ['XNYS', 'XNAS'], newId: uuidv7, logger: silentLogger, metrics }),
    newId: uuidv7,
    logger: silentLogger,
    metrics,
    encode: encodeStateChanges,
    clock: systemClock,
    storedOrder: async () => null,
    onCommitted: () => undefined,
    onStatus: () => undefined,
    onFinal: () => undefined,
    ...given,
  });
}
