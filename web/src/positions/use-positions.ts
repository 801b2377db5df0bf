import { useState } from 'react';
import { positions, type Position } from '../api/market-client.js';
import { usePolling } from '../lib/use-polling.js';

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
  const accountsKey = accounts.join(',');

  usePolling(
    {
      everyMs: POLL_MS,
      read: async () => {
        const ids = accountsKey.split(',').filter(Boolean);
        return { ids, results: await Promise.allSettled(ids.map(positions)) };
      },
      onValue: ({ ids, results }) =>
        setState({
          loaded: true,
          accounts: ids.map((accountId, i): AccountPositions => {
            const result = results[i]!;
            return result.status === 'fulfilled'
              ? { accountId, positions: result.value }
              : { accountId, positions: [], problem: result.reason instanceof Error ? result.reason.message : String(result.reason) };
          }),
        }),
    },
    [accountsKey, fillMark],
  );

  return state;
}
