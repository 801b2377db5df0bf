import type { SimulatedMarket } from './simulated-market.js';

/** Moves the simulated market every `stepMs` and tells listeners (the venues' matching engines). */
export class MarketDriver {
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly market: SimulatedMarket,
    private readonly stepMs: number,
  ) {}

  onStep(listener: () => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.market.step();
      for (const listener of this.listeners) listener();
    }, this.stepMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
