/**
 * A loop's sleep that ends early when there is work: `wait(ms)` resolves on the next `wake()` or
 * after `ms`, whichever comes first. A wake with nobody waiting is remembered for the next wait,
 * so work that arrives between two checks is never slept through.
 */
export class WakeSignal {
  private pending = false;
  private resolveWaiter: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  wake(): void {
    if (this.resolveWaiter) this.release();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolveWaiter = resolve;
      this.timer = setTimeout(() => this.release(), ms);
    });
  }

  private release(): void {
    clearTimeout(this.timer);
    const resolve = this.resolveWaiter;
    this.resolveWaiter = undefined;
    this.pending = false;
    resolve?.();
  }
}
