import { useEffect, useState } from 'react';
import { ApiError, whoAmI } from '../api/client.js';
import type { Me } from '../api/types.js';

export type Session =
  { readonly kind: 'starting'; readonly problem?: string } | { readonly kind: 'login-required' } | { readonly kind: 'ready'; readonly me: Me };

const RETRY_MS = 2_000;

/** Who the page's user is (GET /api/v1/me), asked once at start; retried while the server cannot answer. */
export function useSession(): Session {
  const [session, setSession] = useState<Session>({ kind: 'starting' });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (): void => {
      whoAmI().then(
        (me) => !stopped && setSession({ kind: 'ready', me }),
        (error: unknown) => {
          if (stopped) return;
          if (error instanceof ApiError && error.loginRequired) return setSession({ kind: 'login-required' });
          setSession({ kind: 'starting', problem: error instanceof Error ? error.message : String(error) });
          timer = setTimeout(ask, RETRY_MS);
        },
      );
    };
    ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return session;
}

/** What the page shows and allows: the server's answer, never the page's own idea of the roles. */
export const mayTrade = (me: Me): boolean => me.actions.includes('order:submit');
export const mayCancel = (me: Me): boolean => me.actions.includes('order:cancel');
export const isRiskOfficer = (me: Me): boolean => me.actions.includes('risk:kill-switch') || me.actions.includes('risk:limits');
