// The active evaluator of one partition: restores the newest snapshot, reads the partition's ingest subject from the
// sequence after it, in stream order, evaluates, publishes the alert revisions (fenced), and snapshots state with
// the sequence it covers. Same messages in the same order as an uninterrupted run: same state, same alerts.
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { Alert } from '../alerts/alert.ts';
import type { EvaluatedEvent } from '../workers/evaluation-messages.ts';
import { RuleOverrunError } from '../workers/evaluator-host.ts';
import type { EvaluatorHost } from '../workers/evaluator-host.ts';
import { parseRecord, type ParseSettings } from '../schemas/parse.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { Logger } from '../telemetry/logger.ts';
import { AlertPublisher } from './alert-publisher.ts';
import type { ClusterEvaluation } from './cluster-evaluation.ts';
import type { ClusterMetrics } from './cluster-metrics.ts';
import { ingestParseContext, readIngestMessage, type IngestMessage } from './ingest-message.ts';
import type { Lease } from './lease.ts';
import type { ClusterResources } from './resources.ts';
import { loadSnapshot, removeOlderSnapshots, saveSnapshot } from './snapshot-store.ts';

export interface PartitionRunnerOptions {
  resources: ClusterResources;
  lease: Lease;
  node: string;
  /** The node's evaluation worker, where this partition's evaluator runs (under the watchdog). */
  evaluation: ClusterEvaluation;
  parseSettings: () => ParseSettings;
  metrics: ClusterMetrics;
  /** Each event evaluated (the evaluator's event counters). */
  onEvent?: (event: TailscaleEvent) => void;
  logger?: Logger | undefined;
}

export class PartitionRunner {
  readonly partition: string;
  readonly #options: PartitionRunnerOptions;
  #host: EvaluatorHost | undefined;
  #messages: ConsumerMessages | undefined;
  #seq = 0;
  #snapshotSeq = 0;
  #snapshotAt = 0;
  #stopping = false;
  /** Messages and quiet-time snapshots, one after another: state is ahead of #seq while a message is applied. */
  #serial: Promise<void> = Promise.resolve();
  /** Resolves when the runner ended: stopped, fenced, or failed (rejects). */
  readonly done: Promise<void>;

  constructor(options: PartitionRunnerOptions) {
    this.#options = options;
    this.partition = options.lease.partition;
    this.done = this.#run();
  }

  /** Stops reading; the caller snapshots (graceful) or abandons (lease lost). */
  halt(): void {
    this.#stopping = true;
    void this.#messages?.close();
  }

  /** Graceful hand-over: stop, write a final snapshot while the lease is still ours, then release it. */
  async stop(): Promise<void> {
    this.halt();
    await this.done.catch(() => undefined);
    const { lease } = this.#options;
    if (lease.valid && this.#seq > this.#snapshotSeq) await this.snapshot();
    await lease.release();
    await this.#host?.drop(this.partition).catch(() => undefined);
  }

  async snapshot(): Promise<void> {
    const { resources, lease, node, metrics } = this.#options;
    if (!lease.valid || this.#host === undefined) return;
    const seq = this.#seq;
    const state = await this.#host.exportState(this.partition);
    const takenAtMs = Date.now();
    await saveSnapshot(resources, { partition: this.partition, seq, token: lease.token, node, takenAtMs, state });
    this.#snapshotSeq = seq;
    this.#snapshotAt = performance.now();
    metrics.snapshotTaken(this.partition, takenAtMs);
    // Every time, so one a paused old owner wrote late is gone too.
    await removeOlderSnapshots(resources, this.partition, lease.token);
  }

  async #run(): Promise<void> {
    const { resources, lease, logger, metrics } = this.#options;
    const host = await this.#options.evaluation.host();
    this.#host = host;
    const snapshot = await loadSnapshot(resources, this.partition);
    // The worker may hold this partition's evaluator from an earlier time here: start from the snapshot, or afresh.
    if (snapshot !== undefined) await host.restoreState(snapshot.state, this.partition);
    else await host.reset(this.partition);
    this.#seq = this.#snapshotSeq = snapshot?.seq ?? 0;
    this.#snapshotAt = performance.now();
    metrics.snapshotTaken(this.partition, snapshot?.takenAtMs ?? Date.now());
    logger?.info('partition taken', { partition: this.partition, fence: lease.token, fromSeq: this.#seq + 1, snapshotFence: snapshot?.token });
    const publisher = new AlertPublisher(resources, this.partition, lease.token);
    const start = this.#seq === 0 ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.#seq + 1 };
    const consumer = await resources.connection.js.consumers.get(resources.config.streams.ingest, { filter_subjects: resources.names.ingestSubject(this.partition), ...start });
    this.#messages = await consumer.consume({ max_messages: 64 });
    // halt() may have run while the subscription was being made.
    if (this.#stopping) await this.#messages.close();
    const intervalMs = resources.config.snapshotIntervalSeconds * 1000;
    // A partition that went quiet still snapshots what it read, so a standby does not read it again.
    const quiet = setInterval(() => {
      void this.#exclusive(async () => {
        if (this.#seq > this.#snapshotSeq && performance.now() - this.#snapshotAt >= intervalMs) await this.snapshot();
      }).catch((error: unknown) => logger?.warn('snapshot failed', { partition: this.partition, error: (error as Error).message }));
    }, intervalMs);
    try {
      for await (const message of this.#messages) {
        if (this.#stopping || !lease.valid) break;
        await this.#exclusive(async () => {
          const read = readIngestMessage(message.data);
          if (typeof read === 'string') logger?.warn('ingest message skipped: not a tailwatch record batch', { partition: this.partition, seq: message.seq, problem: read });
          else await this.#evaluate(read, publisher);
          this.#seq = message.seq;
          metrics.lag(this.partition, message.info.pending);
          if (performance.now() - this.#snapshotAt >= intervalMs) await this.snapshot();
        });
      }
    } finally {
      clearInterval(quiet);
    }
    // Not halted: the lease went stale (a renewal came too late) or the subscription ended. Evaluation stopped here;
    // the node gives the partition up, and it is taken again (by any node) from its last snapshot.
    if (!this.#stopping) throw new Error(lease.valid ? 'the ingest subscription ended' : 'the lease was not renewed in time');
  }

  #exclusive(work: () => Promise<void>): Promise<void> {
    const done = this.#serial.then(work);
    this.#serial = done.catch(() => undefined);
    return done;
  }

  async #evaluate(message: IngestMessage, publisher: AlertPublisher): Promise<void> {
    const context = ingestParseContext(this.#options.parseSettings(), message);
    const events: EvaluatedEvent[] = [];
    for (const value of message.records) {
      const parsed = parseRecord(value, context);
      // The receiver checked each record with the same context; one that fails now was changed by a rules/config reload.
      if (!parsed.ok) continue;
      this.#options.onEvent?.(parsed.event);
      events.push({ event: parsed.event, eventTimeMs: parsed.eventTimeMs });
    }
    let changed: readonly Alert[];
    try {
      changed = (await this.#host!.process(events, this.partition)).created;
    } catch (error) {
      // The worker is gone, with every partition's state since its snapshot: this one is given up and taken again.
      if (error instanceof RuleOverrunError) this.#options.evaluation.overran(error);
      throw error;
    }
    for (const alert of changed) this.#options.metrics.alertPublished(this.partition, alert, await publisher.publish(alert));
  }
}
