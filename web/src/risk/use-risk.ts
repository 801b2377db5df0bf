import { useState } from 'react';
import {
  accountLimits,
  allLimits,
  auditTrail,
  killSwitches,
  type AccountLimits,
  type AuditEntry,
  type KillSwitch,
  type RiskLimits,
} from '../api/risk-client.js';
import { ALL_ACCOUNTS, type Me } from '../api/types.js';
import { usePolling } from '../lib/use-polling.js';

export interface LimitsView {
  /** The firm's defaults: only for an officer entitled to every account (*). */
  readonly defaults?: RiskLimits;
  readonly knownAccounts?: 'ANY' | string[];
  /** The accounts with limits of their own (or, for an officer with named accounts, those), effective. */
  readonly accounts: readonly AccountLimits[];
}

export interface RiskState {
  readonly switches: readonly KillSwitch[];
  readonly limits: LimitsView;
  readonly audit: readonly AuditEntry[];
  /** The audit trail is firm-wide: only an officer entitled to every account (*) reads it. */
  readonly auditReadable: boolean;
  /** What could not be read, one line per request that failed. */
  readonly problems: readonly string[];
  readonly loaded: boolean;
}

/** While the view is open it reads again this often, so another officer's changes show up. */
const POLL_MS = 5_000;

const EMPTY: RiskState = { switches: [], limits: { accounts: [] }, audit: [], auditReadable: false, problems: [], loaded: false };

/** An officer entitled to every account reads all limits at once; one with named accounts, each of its own. */
async function readLimits(me: Me): Promise<LimitsView> {
  if (!me.accounts.includes(ALL_ACCOUNTS)) return { accounts: await Promise.all(me.accounts.map(accountLimits)) };
  const all = await allLimits();
  // Each account's effective limits as the server computes them (restricted symbols add up, for one).
  return { defaults: all.defaults, knownAccounts: all.knownAccounts, accounts: await Promise.all(all.accounts.map((a) => accountLimits(a.accountId))) };
}

const problem = (what: string, result: PromiseSettledResult<unknown>): string[] =>
  result.status === 'rejected' ? [`${what}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`] : [];

/** The risk officer's view of the risk API: kill switches, limits and the audit trail, read together. */
export function useRisk(me: Me): { state: RiskState; refresh(): Promise<void> } {
  const [state, setState] = useState<RiskState>(EMPTY);

  // An action's refresh waits for a poll in flight, then reads: its answer shows what the action did.
  const refresh = usePolling(
    {
      everyMs: POLL_MS,
      read: async () => {
        const auditReadable = me.accounts.includes(ALL_ACCOUNTS);
        const [switches, limits, audit] = await Promise.allSettled([
          killSwitches(),
          readLimits(me),
          auditReadable ? auditTrail() : Promise.resolve<AuditEntry[]>([]),
        ]);
        return { auditReadable, switches, limits, audit };
      },
      onValue: ({ auditReadable, switches, limits, audit }) =>
        setState((now) => ({
          switches: switches.status === 'fulfilled' ? switches.value : now.switches,
          limits: limits.status === 'fulfilled' ? limits.value : now.limits,
          audit: audit.status === 'fulfilled' ? audit.value : now.audit,
          auditReadable,
          problems: [...problem('Kill switches', switches), ...problem('Limits', limits), ...problem('Audit trail', audit)],
          loaded: true,
        })),
    },
    [me],
  );

  return { state, refresh };
}
