import { call } from './client.js';
import type { MarketData, Position, QualityReport } from './market-types.js';

export type { AggregateQuality, MarketData, Position, QualityReport, VenueQuality, VenueQuote } from './market-types.js';

const account = (accountId: string): string => encodeURIComponent(accountId);

export const marketData = (symbol: string): Promise<MarketData> => call('GET', `/api/v1/marketdata/${encodeURIComponent(symbol)}`);

export const positions = async (accountId: string): Promise<Position[]> =>
  (await call<{ positions: Position[] }>('GET', `/api/v1/positions?accountId=${account(accountId)}`)).positions;

export const executionQuality = (accountId: string, limit = 100): Promise<QualityReport> =>
  call('GET', `/api/v1/execution-quality?accountId=${account(accountId)}&limit=${limit}`);
