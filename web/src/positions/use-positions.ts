import { useEffect, useRef, useState } from 'react';
import { positions, type Position } from '../api/market-client.js';

/** P&L moves with the market, which has no stream: read again this often, and at once after a fill. */
const POLL_MS = 1_000;

export interface AccountPositions {
  readonly accountId: string;
  readonly positions: readonly Position[];
  readonly problem?: string;
}

/**
 * The positions of each account, read every POLL_MS and whenever `fillMark` changes (the page's
 * count of filled shares: a fill on the order stream shows at once, not at the next poll).
 */
export function usePositions(accounts: readonly string[], fillMark: number): { accounts: readonly AccountPositions[]; loaded: boolean } {
  const [state, setState] = useState<{ accounts: readonly AccountPositions[]; loaded: boolean }>({ accounts: [], loaded: false });
  const started = useRef(0);
  const accountsKey = accounts.join(',');

  useEffect(() => {
    let stopped = false;
    const read = async (): Promise<void> => {
      // Reads overlap (a poll and a fill): only the latest started is shown.
      const mine = ++started.current;
      const ids = accountsKey.split(',').filter(Boolean);
      const results = await Promise.allSettled(ids.map(positions));
      if (stopped || mine !== started.current) return;
      setState({
        loaded: true,
        accounts: ids.map((accountId, i): AccountPositions => {
          const result = results[i]!;
          return result.status === 'fulfilled'
            ? { accountId, positions: result.value }
            : { accountId, positions: [], problem: result.reason instanceof Error ? result.reason.message : String(result.reason) };
        }),
      });
    };
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [accountsKey, fillMark]);

  return state;
}
