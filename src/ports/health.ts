/** One part of a service whose readiness the health endpoint reports (database, FIX sessions...). */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthStatus>;
}

export interface HealthStatus {
  readonly up: boolean;
  readonly detail?: string | Readonly<Record<string, string>>;
}
