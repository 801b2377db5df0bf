/**
 * The series the services record. prom-client's counters and histograms implement these shapes
 * (adapters/observability/prometheus-metrics.ts makes them, one registry per process); the services see
 * only what they record into.
 */
export interface LabelledCounter<L extends string> {
  inc(labels: Readonly<Record<L, string>>, value?: number): void;
}

/** A distribution of durations in seconds. */
export interface DurationHistogram {
  observe(seconds: number): void;
}

export interface LabelledHistogram<L extends string> {
  observe(labels: Readonly<Record<L, string>>, value: number): void;
}

export interface ServiceMetrics {
  /** oms-ingest: submissions by outcome (accepted, duplicate, invalid, error). */
  readonly ordersReceived: LabelledCounter<'outcome'>;
  /** oms-ingest: from request received to the durable acknowledgement of a new order. */
  readonly ackLatency: DurationHistogram;
  readonly riskDecisions: LabelledCounter<'result' | 'code'>;
  readonly routeDuration: DurationHistogram;
  readonly childOrdersRouted: LabelledCounter<'venue'>;
  /** Venue executions no child order of ours owns. */
  readonly fillsUnattributed: LabelledCounter<'venue'>;
  readonly fillsApplied: LabelledCounter<'venue'>;
  readonly fillsRefusedByOrder: LabelledCounter<'venue'>;
  readonly filledQuantity: LabelledCounter<'venue'>;
  readonly fillNotionalCents: LabelledCounter<'venue'>;
  /** From an order's creation to its final status, by that status. */
  readonly orderLifecycle: LabelledHistogram<'status'>;
  readonly ordersFinal: LabelledCounter<'status'>;
  readonly orderRejects: LabelledCounter<'code'>;
}
