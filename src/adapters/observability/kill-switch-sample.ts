import { KILL_SWITCH_SCOPES, type KillSwitch } from '../../domain/risk/kill-switch.js';
import type { Sample } from './sampled-gauge.js';

/** oms_kill_switches_engaged's source: engaged switches counted by scope, each scope present (0 when none), no account ids. */
export function engagedKillSwitches(read: () => Promise<readonly KillSwitch[]>): () => Promise<Sample<'scope'>> {
  return async () => {
    const switches = await read();
    return KILL_SWITCH_SCOPES.map((scope) => [{ scope }, switches.filter((s) => s.target.scope === scope).length] as const);
  };
}
