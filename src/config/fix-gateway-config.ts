import type { EnvReader } from './config.js';

/** One client FIX session of the order-entry gateway: its CompID pair and the accounts it covers. */
export interface FixGatewaySession {
  /** The client's CompID (49 on what it sends). */
  readonly clientCompId: string;
  /** The gateway's CompID towards this client (56 on what the client sends). */
  readonly gatewayCompId: string;
  /** Accounts it may trade (or, for a drop copy, sees); `*` for all. */
  readonly accounts: readonly string[];
}

export interface FixGatewaySettings {
  /** FIX_GATEWAY_PORT; undefined: the gateway is off. */
  readonly port: number | undefined;
  /** FIX_GATEWAY_SESSIONS: order-entry sessions. */
  readonly sessions: readonly FixGatewaySession[];
  /** FIX_GATEWAY_DROP_COPY_SESSIONS: read-only sessions that get a copy of every report of their accounts. */
  readonly dropCopySessions: readonly FixGatewaySession[];
}

const COMP_ID = '[A-Za-z0-9._-]+';
const ENTRY = new RegExp(`^(${COMP_ID}):(${COMP_ID})=([A-Za-z0-9._:*+-]+)$`);

/**
 * `CLIENT:GATEWAY=ACC-1+ACC-2,CLIENT2:GATEWAY=*`: comma-separated sessions, each the client's
 * CompID, the gateway's CompID, and `+`-separated accounts (`*` for all).
 */
export function parseGatewaySessions(name: string, text: string, problems: string[]): FixGatewaySession[] {
  const sessions: FixGatewaySession[] = [];
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = ENTRY.exec(entry);
    const accounts = match ? match[3]!.split('+').filter(Boolean) : [];
    if (!match || accounts.length === 0) {
      problems.push(`${name}: "${entry}" is not CLIENTCOMPID:GATEWAYCOMPID=ACCOUNT+ACCOUNT (or =*)`);
      continue;
    }
    sessions.push({ clientCompId: match[1]!, gatewayCompId: match[2]!, accounts });
  }
  return sessions;
}

export function readFixGateway(read: EnvReader, problems: string[]): FixGatewaySettings {
  const portText = read.string('FIX_GATEWAY_PORT', '');
  const port = portText === '' ? undefined : read.port('FIX_GATEWAY_PORT', 0);
  const sessions = parseGatewaySessions('FIX_GATEWAY_SESSIONS', read.string('FIX_GATEWAY_SESSIONS', ''), problems);
  const dropCopySessions = parseGatewaySessions('FIX_GATEWAY_DROP_COPY_SESSIONS', read.string('FIX_GATEWAY_DROP_COPY_SESSIONS', ''), problems);
  const pairs = [...sessions, ...dropCopySessions].map((s) => `${s.clientCompId}:${s.gatewayCompId}`);
  if (new Set(pairs).size !== pairs.length) problems.push('FIX_GATEWAY_SESSIONS, FIX_GATEWAY_DROP_COPY_SESSIONS: each CompID pair may be named once');
  if (port !== undefined && sessions.length + dropCopySessions.length === 0) problems.push('FIX_GATEWAY_PORT: set, but FIX_GATEWAY_SESSIONS names no session');
  return { port, sessions, dropCopySessions };
}
