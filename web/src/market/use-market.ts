import { useEffect, useRef, useState } from 'react';
import { marketData, type MarketData } from '../api/market-client.js';
import { usePolling } from '../lib/use-polling.js';
import { consolidate, type ConsolidatedBook } from './book.js';

/** The market API has no stream: the view polls it at about the rate the simulated venues quote. */
export const POLL_MS = 500;
/** Points kept for the chart: ten minutes at the poll rate. */
const HISTORY = 1_200;

/** One poll, for the chart: seconds since the epoch and prices as numbers (plotting only; what is shown stays text). */
export interface Tick {
  readonly time: number;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly reference: number;
}

export interface MarketState {
  readonly market?: MarketData;
  readonly book?: ConsolidatedBook;
  readonly ticks: readonly Tick[];
  readonly problem?: string;
}

const toNumber = (price: string | null): number | null => (price === null ? null : Number(price));

/** The symbol's market, read every POLL_MS while the view is open; the history starts again with each symbol. */
export function useMarket(symbol: string): MarketState {
  const [state, setState] = useState<MarketState>({ ticks: [] });
  const ticks = useRef<Tick[]>([]);

  useEffect(() => {
    ticks.current = [];
    setState({ ticks: [] });
  }, [symbol]);

  usePolling(
    {
      enabled: Boolean(symbol),
      everyMs: POLL_MS,
      read: () => marketData(symbol),
      onValue: (market) => {
        const book = consolidate(market);
        ticks.current = [
          ...ticks.current.slice(-(HISTORY - 1)),
          { time: Date.now() / 1000, bid: toNumber(book.nbbo.bid), ask: toNumber(book.nbbo.ask), reference: Number(market.referencePrice) },
        ];
        setState({ market, book, ticks: ticks.current });
      },
      onError: (error) => setState((now) => ({ ...now, problem: error instanceof Error ? error.message : String(error) })),
    },
    [symbol],
  );

  return state;
}
