import { useCallback, useEffect, useRef } from 'react';
import { Poller, type Polling } from './poller.js';

export type { Polling } from './poller.js';

/**
 * Polls while the component is mounted: reads now and every `everyMs`, one read at a time (see
 * Poller for the guard against overlapping reads), and stops on unmount. When a value in `restartOn`
 * changes, the polling stops and starts again (answers of the old one are dropped), with the
 * callbacks of that render: what changes between restarts is read through a ref. `enabled: false`
 * polls nothing (nothing to read yet).
 *
 * Returns refresh(): a read that begins now or, if one is in flight, just after it; it resolves
 * once that read's answer is delivered.
 */
export function usePolling<T>(polling: Polling<T> & { readonly enabled?: boolean }, restartOn: readonly unknown[]): () => Promise<void> {
  const current = useRef<Poller<T> | undefined>(undefined);

  useEffect(() => {
    if (polling.enabled === false) return;
    const poller = new Poller(polling);
    current.current = poller;
    poller.start();
    return () => {
      poller.stop();
      if (current.current === poller) current.current = undefined;
    };
    // Restarted when `restartOn` says, not for each render's new callbacks.
  }, restartOn);

  return useCallback(() => current.current?.refresh() ?? Promise.resolve(), []);
}
