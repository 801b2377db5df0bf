/**
 * How often something has happened lately: an exponentially decaying count of arrivals, so a
 * burst raises the rate at once and a pause lets it fall off within a few windows. Times are in
 * milliseconds from any fixed origin (performance.now()).
 */
export class ArrivalRate {
  private level = 0;
  private at = Number.NEGATIVE_INFINITY;

  /** `windowMs`: how long an arrival keeps counting (its weight falls by e each window). */
  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  note(nowMs: number): void {
    this.level = this.decayedTo(nowMs) + 1;
    this.at = nowMs;
  }

  /** Arrivals per millisecond lately: about the steady rate once arrivals have kept it for a few windows. */
  perMs(nowMs: number): number {
    return this.decayedTo(nowMs) / this.windowMs;
  }

  private decayedTo(nowMs: number): number {
    if (this.level === 0) return 0;
    return this.level * Math.exp(-Math.max(0, nowMs - this.at) / this.windowMs);
  }
}
