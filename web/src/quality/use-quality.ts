import { useEffect, useRef, useState } from 'react';
import { orderDetails } from '../api/client.js';
import { executionQuality, type QualityReport } from '../api/market-client.js';
import type { Order, OrderDetails } from '../api/types.js';
import { usePolling } from '../lib/use-polling.js';
import { venueStats, type VenueStats } from './venue-stats.js';

/** Execution quality changes as orders end: read again this often, and when the account's fills change. */
const POLL_MS = 3_000;
/** The orders summed per venue: the newest, as the API's own report takes its latest 100. */
const NEWEST = 100;
const PARALLEL = 4;

export interface QualityState {
  readonly report?: QualityReport;
  readonly venues: readonly VenueStats[];
  readonly problem?: string;
}

/**
 * The account's execution quality: per strategy from GET /api/v1/execution-quality, per venue from
 * the children of its newest orders (each order's details read once per version, then kept).
 */
export function useQuality(accountId: string, orders: readonly Order[], fillMark: number): QualityState {
  const [state, setState] = useState<QualityState>({ venues: [] });
  const details = useRef(new Map<string, OrderDetails>());
  const latestOrders = useRef(orders);
  latestOrders.current = orders;

  useEffect(() => setState({ venues: [] }), [accountId, fillMark]);

  usePolling(
    {
      everyMs: POLL_MS,
      read: async () => {
        const newest = latestOrders.current
          .filter((o) => o.accountId === accountId)
          .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
          .slice(0, NEWEST);
        const stale = newest.filter((o) => details.current.get(o.orderId)?.version !== o.version);
        for (let i = 0; i < stale.length; i += PARALLEL) {
          for (const d of await Promise.all(stale.slice(i, i + PARALLEL).map((o) => orderDetails(o.orderId)))) details.current.set(d.orderId, d);
        }
        const report = await executionQuality(accountId);
        return { report, routed: newest.flatMap((o) => details.current.get(o.orderId) ?? []) };
      },
      onValue: ({ report, routed }) => setState({ report, venues: venueStats(routed) }),
      onError: (error) => setState((now) => ({ ...now, problem: error instanceof Error ? error.message : String(error) })),
    },
    [accountId, fillMark],
  );

  return state;
}
