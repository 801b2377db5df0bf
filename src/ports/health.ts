/** One part of a service whose health the actuator reports (database, FIX sessions...). */
export interface HealthIndicator {
  readonly name: string;
  /**
   * Whether taking orders needs this part: it then gates /actuator/health/readiness. Liveness
   * never asks any indicator (an outage of a dependency must not restart the process).
   */
  readonly gatesReadiness: boolean;
  check(): Promise<HealthStatus>;
}

export interface HealthStatus {
  readonly up: boolean;
  /**
   * For readiness, when it differs from `up`: the part is down yet orders can still be taken
   * (one venue of five logged out). Absent: readiness follows `up`.
   */
  readonly ready?: boolean;
  readonly detail?: string | Readonly<Record<string, string>>;
}
