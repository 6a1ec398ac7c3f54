// Cluster metrics on the evaluator's registry: leases held, consumer lag and snapshot age per partition,
// redeliveries of the alerts stream, the ingest publishes; new alerts also in tailwatch_alerts_total.
import { Counter, Gauge } from 'prom-client';
import type { Alert } from '../alerts/alert.ts';
import type { Metrics } from '../telemetry/metrics.ts';

export class ClusterMetrics {
  readonly #leases: Gauge;
  readonly #lag: Gauge;
  readonly #published: Counter;
  readonly #publishFailures: Counter;
  readonly #alerts: Counter;
  readonly #redeliveries: Counter;
  readonly #fenced: Counter;
  readonly #base: Metrics;
  /** Per partition: when its last snapshot was written (epoch ms), for the age gauge at scrape time. */
  readonly #snapshotAt = new Map<string, number>();

  constructor(metrics: Metrics) {
    this.#base = metrics;
    const registers = [metrics.registry];
    this.#leases = new Gauge({ name: 'tailwatch_cluster_lease_held', help: 'Partitions whose lease this node holds (1) or not (0).', labelNames: ['partition'], registers });
    this.#lag = new Gauge({ name: 'tailwatch_cluster_consumer_lag', help: 'Ingest messages of a partition not yet evaluated by this node.', labelNames: ['partition'], registers });
    this.#published = new Counter({ name: 'tailwatch_cluster_records_published_total', help: 'Records published to the ingest stream, by partition.', labelNames: ['partition'], registers });
    this.#publishFailures = new Counter({ name: 'tailwatch_cluster_publish_failures_total', help: 'Ingest publishes JetStream did not acknowledge (the sender got 503).', registers });
    this.#alerts = new Counter({ name: 'tailwatch_cluster_alerts_published_total', help: 'Alert revisions published to the alerts stream (duplicates included), by partition.', labelNames: ['partition'], registers });
    this.#redeliveries = new Counter({ name: 'tailwatch_cluster_redeliveries_total', help: 'Alerts-stream messages a delivery worker received again (an earlier worker did not ack them).', registers });
    this.#fenced = new Counter({ name: 'tailwatch_cluster_fenced_total', help: 'Alert publishes refused because another owner had written after this one (its lease was taken).', labelNames: ['partition'], registers });
    const snapshotAt = this.#snapshotAt;
    new Gauge({
      name: 'tailwatch_cluster_snapshot_age_seconds',
      help: 'Seconds since this node last snapshotted a partition it holds.',
      labelNames: ['partition'],
      registers,
      collect() {
        this.reset();
        for (const [partition, at] of snapshotAt) this.labels(partition).set((Date.now() - at) / 1000);
      },
    });
  }

  leaseHeld(partition: string, held: boolean): void {
    this.#leases.labels(partition).set(held ? 1 : 0);
    if (!held) this.#snapshotAt.delete(partition);
  }
  lag(partition: string, messages: number): void { this.#lag.labels(partition).set(messages); }
  snapshotTaken(partition: string, atMs: number): void { this.#snapshotAt.set(partition, atMs); }
  published(partition: string, records: number): void { this.#published.labels(partition).inc(records); }
  publishFailed(): void { this.#publishFailures.inc(); }
  /** A revision published; a new alert (first publish of revision 1) also counts in tailwatch_alerts_total. */
  alertPublished(partition: string, alert: Alert, fresh: boolean): void {
    this.#alerts.labels(partition).inc();
    if (fresh && alert.revision === 1) this.#base.alert(alert.ruleId, alert.severity, alert.tailnet);
  }
  redelivered(): void { this.#redeliveries.inc(); }
  fenced(partition: string): void { this.#fenced.labels(partition).inc(); }
}
