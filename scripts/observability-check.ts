/**
 * The dashboards and alert rules in deploy/ against the metrics the code registers: every PromQL
 * expression may name only series of createMetrics()'s registry (or Prometheus' own `up`), and
 * every alert rule has what an operator needs (expr, for, severity, summary, description).
 * Used by scripts/validate-deploy.ts and test/deploy/observability.unit.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createMetrics } from '../src/adapters/observability/prometheus-metrics.js';

/** Series Prometheus itself adds to every scrape. */
const PROMETHEUS_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** PromQL's functions, aggregations and keywords: identifiers that are not metric names. */
const PROMQL_WORDS = new Set(
  (
    'sum min max avg count stddev stdvar topk bottomk quantile count_values group by without on ignoring group_left group_right bool and or unless offset ' +
    'rate irate increase delta idelta deriv histogram_quantile abs absent absent_over_time ceil floor round clamp clamp_min clamp_max changes resets time ' +
    'vector scalar label_replace label_join sort sort_desc max_over_time min_over_time avg_over_time sum_over_time count_over_time last_over_time ' +
    'quantile_over_time predict_linear timestamp sgn exp ln log2 log10 sqrt inf nan'
  ).split(' '),
);

/** The metric names a PromQL expression selects (label matchers, ranges and groupings left out). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? ' ';
    const after = stripped.slice(match.index + match[0].length);
    // 1e9's "e9", and function calls, are not selectors.
    if (/[0-9.]/.test(before) || /^\s*\(/.test(after) || PROMQL_WORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** Every series name a scrape of this code can show: a histogram as its _bucket, _sum and _count. */
export async function registeredSeries(): Promise<Set<string>> {
  const metrics = await createMetrics().registry.getMetricsAsJSON();
  const series = new Set<string>(PROMETHEUS_SERIES);
  for (const metric of metrics) {
    series.add(metric.name);
    if (String(metric.type) === 'histogram' || String(metric.type) === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) series.add(metric.name + suffix);
  }
  return series;
}

export interface PanelQuery {
  readonly file: string;
  readonly panel: string;
  readonly expr: string;
}

interface DashboardJson {
  panels?: { title?: string; type?: string; targets?: { expr?: string }[] }[];
}

export function dashboardQueries(deployDir: string): PanelQuery[] {
  const dir = join(deployDir, 'grafana', 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => {
      const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as DashboardJson;
      return (dashboard.panels ?? []).flatMap((panel) => (panel.targets ?? []).map((t) => ({ file, panel: panel.title ?? '(untitled)', expr: t.expr ?? '' })));
    });
}

export interface AlertRule {
  readonly alert?: unknown;
  readonly expr?: unknown;
  readonly for?: unknown;
  readonly labels?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
}

export function alertRules(deployDir: string): AlertRule[] {
  const doc = parse(readFileSync(join(deployDir, 'prometheus', 'alerts.yml'), 'utf8')) as { groups?: { rules?: AlertRule[] }[] };
  return (doc.groups ?? []).flatMap((g) => g.rules ?? []);
}

/** Problems found, as "where: what" lines; empty when all is well. */
export async function checkObservability(deployDir: string): Promise<string[]> {
  const series = await registeredSeries();
  const problems: string[] = [];
  const unknown = (expr: string) => metricNamesIn(expr).filter((name) => !series.has(name));
  const queries = dashboardQueries(deployDir);
  if (queries.length === 0) problems.push('deploy/grafana/dashboards: no panel queries');
  for (const q of queries) {
    if (q.expr.trim() === '') problems.push(`${q.file} "${q.panel}": a target without expr`);
    else if (metricNamesIn(q.expr).length === 0) problems.push(`${q.file} "${q.panel}": no metric in ${q.expr}`);
    for (const name of unknown(q.expr)) problems.push(`${q.file} "${q.panel}": ${name} is not a metric the code registers`);
  }
  const rules = alertRules(deployDir);
  if (rules.length === 0) problems.push('deploy/prometheus/alerts.yml: no alert rules');
  for (const rule of rules) {
    const name = typeof rule.alert === 'string' && rule.alert !== '' ? rule.alert : '(unnamed)';
    const where = `deploy/prometheus/alerts.yml ${name}`;
    if (name === '(unnamed)') problems.push(`${where}: every rule needs an alert name`);
    if (typeof rule.expr !== 'string' || rule.expr.trim() === '') problems.push(`${where}: needs expr`);
    else for (const metric of unknown(rule.expr)) problems.push(`${where}: ${metric} is not a metric the code registers`);
    if (typeof rule.for !== 'string' || !/^\d+[smhd]$/.test(rule.for)) problems.push(`${where}: needs for (a duration such as 5m)`);
    if (!['critical', 'warning'].includes(String(rule.labels?.severity))) problems.push(`${where}: labels.severity must be critical or warning`);
    for (const key of ['summary', 'description']) if (typeof rule.annotations?.[key] !== 'string') problems.push(`${where}: needs annotations.${key}`);
  }
  const prometheus = parse(readFileSync(join(deployDir, 'prometheus', 'prometheus.yml'), 'utf8')) as { rule_files?: unknown[] };
  if (!(prometheus.rule_files ?? []).includes('alerts.yml')) problems.push('deploy/prometheus/prometheus.yml: rule_files must load alerts.yml');
  return problems;
}
