import type { FixLogger } from './session.js';

/** How long the first warning for a key silences the next ones. */
const WINDOW_MS = 10_000;
/** Past this many keys in their window the rest share one: a flood from many addresses cannot grow the map. */
const MAX_KEYS = 1_000;
const OTHERS = 'other addresses';

/**
 * Warnings about connections closed before logon, at most one per key (a remote address) per
 * window: a flood of connections gives one line per address, then one line with the counts of what
 * the window held back, not one line per socket.
 */
export class RefusalWarnings {
  private readonly windows = new Map<string, { readonly endsAt: number; readonly suppressed: Map<string, number> }>();

  constructor(
    private readonly logger: FixLogger | undefined,
    private readonly nowMs: () => number = Date.now,
    private readonly windowMs = WINDOW_MS,
  ) {}

  warn(key: string, message: string, details: object): void {
    if (!this.logger) return;
    const slot = this.windows.has(key) || this.windows.size < MAX_KEYS ? key : OTHERS;
    const window = this.windows.get(slot);
    if (window) {
      window.suppressed.set(message, (window.suppressed.get(message) ?? 0) + 1);
      return;
    }
    this.windows.set(slot, { endsAt: this.nowMs() + this.windowMs, suppressed: new Map() });
    this.logger.warn(details, message);
  }

  /** Ends the windows that are over, each with one line counting what it held back. Call about once a second. */
  sweep(): void {
    const now = this.nowMs();
    for (const [key, window] of this.windows) {
      if (window.endsAt > now) continue;
      this.windows.delete(key);
      if (window.suppressed.size > 0)
        this.logger?.warn({ from: key, suppressed: Object.fromEntries(window.suppressed) }, 'more FIX connections closed before logon (warnings held back)');
    }
  }
}
