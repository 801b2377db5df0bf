import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRules, checkObservability, dashboardQueries, metricNamesIn, registeredSeries } from '../../scripts/observability-check.js';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');

describe('PromQL metric names', () => {
  it('finds selectors, not functions, labels, ranges or numbers', () => {
    expect(metricNamesIn('histogram_quantile(0.99, sum by (le) (rate(oms_x_seconds_bucket{status="FILLED"}[5m])))')).toEqual(['oms_x_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total[5m])) / sum(rate(b_total[5m])) > 0.2 and sum(increase(a_total[5m])) > 1e9')).toEqual(['a_total', 'b_total']);
    expect(metricNamesIn('max by (venue) (up{job="oms"}) == 0')).toEqual(['up']);
  });
});

describe('deploy/ dashboards and alert rules', () => {
  it('name only metrics createMetrics() registers, and every rule is complete', async () => {
    expect(await checkObservability(DEPLOY)).toEqual([]);
  });

  it('cover what an operator asked for', async () => {
    const series = await registeredSeries();
    const used = new Set(dashboardQueries(DEPLOY).flatMap((q) => metricNamesIn(q.expr)));
    for (const name of [
      'oms_orders_final_total',
      'oms_order_rejects_total',
      'oms_fills_applied_total',
      'oms_fill_notional_cents_total',
      'oms_ingest_ack_latency_seconds_bucket',
      'oms_order_lifecycle_seconds_bucket',
      'oms_sor_route_duration_seconds_bucket',
      'oms_fix_session_logged_on',
      'oms_fix_sequence_gaps_total',
      'oms_outbox_pending',
      'oms_consumer_lag_messages',
      'oms_kill_switches_engaged',
    ]) {
      expect(series.has(name), `${name} registered`).toBe(true);
      expect(used.has(name), `${name} on the dashboard`).toBe(true);
    }
    expect(alertRules(DEPLOY).map((r) => r.alert)).toEqual(
      expect.arrayContaining(['FixSessionDown', 'OutboxBacklogGrowing', 'ConsumerLagGrowing', 'RejectRateSpike', 'KillSwitchEngaged']),
    );
  });

  it('would catch a panel naming a metric the code does not register', async () => {
    const series = await registeredSeries();
    expect(metricNamesIn('rate(oms_no_such_total[1m]) + oms_fills_applied_total').filter((n) => !series.has(n))).toEqual(['oms_no_such_total']);
  });
});
