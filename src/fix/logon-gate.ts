import type { Socket } from 'node:net';
import type { RefusalWarnings } from './refusal-warnings.js';

/** Limits on an acceptor's connections that have not logged on yet. */
export interface LogonLimits {
  /** A connection not logged on this long after it opened is closed (QuickFIX's LogonTimeout). */
  readonly logonTimeoutMs?: number;
  /** Connections from one remote address waiting for their logon; more are closed at once. */
  readonly maxPendingLogonsPerAddress?: number;
  /** Connections from all addresses waiting for their logon; more are closed at once. */
  readonly maxPendingLogons?: number;
}

/** QuickFIX's LogonTimeout default. */
export const DEFAULT_LOGON_TIMEOUT_MS = 10_000;
/**
 * An initiator holds one connection per session and reconnects one at a time, so a host needs one
 * pending connection per session it runs; 10 leaves room for several initiators behind one NAT
 * address while one address can hold at most 10 sockets at a time.
 */
export const DEFAULT_MAX_PENDING_LOGONS_PER_ADDRESS = 10;
/**
 * Far above the sessions one acceptor serves (each takes one connection), so logons never meet
 * it; it bounds the sockets and decoder buffers (up to 64 KB each) that many addresses together
 * can hold, IPv6 hosts with many addresses among them.
 */
export const DEFAULT_MAX_PENDING_LOGONS = 256;

/** One connection waiting for its logon. */
export interface PendingLogon {
  readonly address: string;
  /** It logged on: it no longer counts against the caps and its timer stops. */
  settle(): void;
}

/**
 * Counts connections that have not logged on, per remote address and in all, refuses those over a
 * cap, and closes each one still not logged on when its logon timeout runs out.
 */
export class LogonGate {
  private readonly byAddress = new Map<string, number>();
  private total = 0;
  private readonly timeoutMs: number;
  private readonly maxPerAddress: number;
  private readonly maxTotal: number;

  constructor(
    limits: LogonLimits,
    private readonly warnings: RefusalWarnings,
  ) {
    this.timeoutMs = limits.logonTimeoutMs ?? DEFAULT_LOGON_TIMEOUT_MS;
    this.maxPerAddress = limits.maxPendingLogonsPerAddress ?? DEFAULT_MAX_PENDING_LOGONS_PER_ADDRESS;
    this.maxTotal = limits.maxPendingLogons ?? DEFAULT_MAX_PENDING_LOGONS;
  }

  /** Connections waiting for their logon now. */
  get pending(): number {
    return this.total;
  }

  get logonTimeoutMs(): number {
    return this.timeoutMs;
  }

  /**
   * A new connection: counted and timed, or closed at once if a cap is reached. `loggedOn` is asked
   * when the time runs out (a session may log on after a first message it dropped).
   */
  admit(socket: Socket, loggedOn: () => boolean): PendingLogon | undefined {
    const address = addressOf(socket);
    const fromAddress = this.byAddress.get(address) ?? 0;
    if (fromAddress >= this.maxPerAddress) {
      this.warnings.warn(address, 'too many FIX connections from one address waiting for logon; connection closed', { address, max: this.maxPerAddress });
      socket.destroy();
      return undefined;
    }
    if (this.total >= this.maxTotal) {
      // One key for all addresses: a flood from many addresses is one warning per window.
      this.warnings.warn('all addresses', 'too many FIX connections waiting for logon; connection closed', { address, max: this.maxTotal });
      socket.destroy();
      return undefined;
    }
    this.byAddress.set(address, fromAddress + 1);
    this.total++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.total--;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    };
    const timer = setTimeout(() => {
      if (loggedOn()) return settle();
      this.warnings.warn(address, 'no FIX Logon in time; connection closed', { address, logonTimeoutMs: this.timeoutMs });
      socket.destroy();
    }, this.timeoutMs);
    // Closed by either side, or destroyed above: it no longer waits.
    socket.once('close', settle);
    return { address, settle };
  }
}

function addressOf(socket: Socket): string {
  const address = socket.remoteAddress ?? 'unknown';
  // An IPv4 peer of a dual-stack listener shows as ::ffff:a.b.c.d: the same host, one count.
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
