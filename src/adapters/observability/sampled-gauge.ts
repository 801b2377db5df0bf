import { Gauge, type Registry } from 'prom-client';

/**
 * A gauge read at scrape time from a source the composition root attaches later (the outbox
 * table, the journal, the risk controls): defined with every other metric in createMetrics(), so
 * that one registry names everything a dashboard may query, and read only where its source lives.
 */
export interface SampledGauge<L extends string = never> {
  sampleFrom(read: () => Promise<Sample<L>> | Sample<L>): void;
}

/** One value, or one value per label set (series not listed are dropped at that scrape). */
export type Sample<L extends string> = [L] extends [never] ? number : readonly (readonly [Partial<Record<L, string>>, number])[];

export function sampledGauge<L extends string = never>(registry: Registry, config: { name: string; help: string; labelNames?: readonly L[] }): SampledGauge<L> {
  let read: (() => Promise<Sample<L>> | Sample<L>) | undefined;
  new Gauge<L>({
    name: config.name,
    help: config.help,
    labelNames: config.labelNames ?? [],
    registers: [registry],
    async collect() {
      if (!read) return;
      let sample: Sample<L>;
      try {
        sample = await read();
      } catch {
        // A source that cannot answer (database down) must not fail the whole scrape: unknown, not stale.
        if (config.labelNames?.length) this.reset();
        else this.set(Number.NaN);
        return;
      }
      if (typeof sample === 'number') return void this.set(sample);
      this.reset();
      for (const [labels, value] of sample as readonly (readonly [Partial<Record<L, string>>, number])[]) this.set(labels, value);
    },
  });
  return { sampleFrom: (source) => void (read = source) };
}
