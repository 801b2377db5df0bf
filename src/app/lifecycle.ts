/** Something started that must be stopped on shutdown (servers, consumers, sessions, timers). */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Stops parts in the reverse order of their start, each once, continuing past failures so a
 * broken part cannot keep the others (and the database) open.
 */
export class ShutdownSequence {
  private readonly parts: { name: string; part: Stoppable }[] = [];

  add(name: string, part: Stoppable): void {
    this.parts.push({ name, part });
  }

  async stopAll(onError: (name: string, error: unknown) => void): Promise<void> {
    while (this.parts.length > 0) {
      const { name, part } = this.parts.pop()!;
      try {
        await part.stop();
      } catch (error) {
        onError(name, error);
      }
    }
  }
}
