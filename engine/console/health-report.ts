// The health page: every readiness check (sources, rules reload, outbox, destinations), per-source record and reject
// counts and the event lag from the metrics, deliveries pending and dead-lettered per destination, and quarantine.
import { Quarantine, type QuarantinedRecord } from '../pipeline/live/quarantine.ts';
import type { Readiness, ReadinessReport } from '../server/readiness.ts';
import type { Database } from '../state/database.ts';
import type { Metrics } from '../telemetry/metrics.ts';

export interface HealthReport {
  readiness: ReadinessReport;
  /** Metric samples by metric name: labels and value. */
  counters: Record<string, { labels: Record<string, string | number>; value: number }[]>;
  destinations: { destination: string; pending: number; deadLetters: number }[];
  quarantine: QuarantinedRecord[];
}

const SHOWN_METRICS = ['tailwatch_records_received_total', 'tailwatch_records_rejected_total', 'tailwatch_event_lag_seconds', 'tailwatch_deliveries_total'];

export async function healthReport(db: Database, readiness: Readiness, metrics: Metrics, destinations: readonly string[], quarantineReason?: string): Promise<HealthReport> {
  const counters: HealthReport['counters'] = {};
  for (const name of SHOWN_METRICS) {
    const metric = metrics.registry.getSingleMetric(name);
    if (metric === undefined) continue;
    counters[name] = (await metric.get()).values.map(({ labels, value }) => ({ labels: labels as Record<string, string | number>, value }));
  }
  const counts = (table: string) =>
    new Map((db.prepare(`SELECT destination, count(*) AS n FROM ${table} GROUP BY destination`).all() as { destination: string; n: number }[]).map((row) => [row.destination, row.n]));
  const pending = counts('outbox');
  const dead = counts('dead_letters');
  const names = [...new Set([...destinations, ...pending.keys(), ...dead.keys()])].sort();
  return {
    readiness: await readiness.evaluate(),
    counters,
    destinations: names.map((destination) => ({ destination, pending: pending.get(destination) ?? 0, deadLetters: dead.get(destination) ?? 0 })),
    quarantine: new Quarantine(db).list(100, quarantineReason),
  };
}
