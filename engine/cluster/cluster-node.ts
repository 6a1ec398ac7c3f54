// One `tailwatch run` in cluster mode: its NATS connection and, by role, the ingest publisher its receivers hand
// batches to, the evaluator node that competes for partitions, and the delivery worker on the alerts stream.
import type { Alert } from '../alerts/alert.ts';
import type { Environment } from '../config/secret.ts';
import type { RejectedRecord } from '../decode/types.ts';
import { ConfigError } from '../errors.ts';
import type { RulesConfig } from '../config/rules-config.ts';
import type { EvaluatorHost } from '../workers/evaluator-host.ts';
import type { SuppressionEntry } from '../suppressions/suppression-entry.ts';
import type { StoppedRule } from '../workers/stopped-rules.ts';
import type { ParseSettings } from '../schemas/parse.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { CheckpointStore } from '../sources/checkpoints.ts';
import type { BatchHandler } from '../sources/types.ts';
import type { Database } from '../state/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { hostname } from 'node:os';
import type { ClusterConfig } from './cluster-config.ts';
import { ClusterEvaluation } from './cluster-evaluation.ts';
import { ClusterMetrics } from './cluster-metrics.ts';
import { ClusterConnection } from './connection.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { EvaluatorNode } from './evaluator-node.ts';
import { ingestPublisher } from './ingest-publisher.ts';
import { partitionsOf } from './partitions.ts';
import { openResources, type ClusterResources } from './resources.ts';

export interface ClusterNodeOptions {
  cluster: ClusterConfig;
  env: Environment;
  /** Each configured source's tailnet, by source name. */
  sourceTailnets: ReadonlyMap<string, string>;
  /** Starts an evaluation worker with the current rules, those named not evaluated (the watchdog stopped them). */
  startEvaluator: (stopped: string[]) => Promise<EvaluatorHost>;
  /** Called when the watchdog stopped a rule on this node (metrics). */
  onRuleStopped: (stopped: StoppedRule) => void;
  parseSettings: () => ParseSettings;
  checkpoints: CheckpointStore;
  /** The node's local SQLite: the delivery worker's outbox. */
  db: Database;
  route: (alert: Alert) => readonly string[];
  onEnqueued: () => void;
  onRejects: (source: string, rejects: readonly RejectedRecord[], received: number) => void;
  onEvent: (event: TailscaleEvent) => void;
  metrics: Metrics;
  logger: Logger;
}

export class ClusterNode {
  readonly node: string;
  readonly partitions: readonly string[];
  readonly #connection: ClusterConnection;
  readonly #evaluator: EvaluatorNode | undefined;
  readonly #evaluation: ClusterEvaluation;
  readonly #delivery: DeliveryWorker | undefined;
  /** The batch handler of this node's sources: publish to the ingest stream. */
  readonly handle: BatchHandler;

  private constructor(options: ClusterNodeOptions, resources: ClusterResources, partitions: readonly string[]) {
    const { cluster, logger } = options;
    const metrics = new ClusterMetrics(options.metrics);
    this.node = cluster.node ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '-')}-${process.pid}`;
    this.partitions = partitions;
    this.#connection = resources.connection;
    const has = (role: ClusterConfig['roles'][number]) => cluster.roles.includes(role);
    // Called only by this node's sources, which open() allows only with the ingest role.
    this.handle = ingestPublisher({
      resources, db: options.db, tailnetOf: (source) => options.sourceTailnets.get(source) ?? 'default',
      parseSettings: options.parseSettings, checkpoints: options.checkpoints, onRejects: options.onRejects, metrics,
    });
    this.#evaluation = new ClusterEvaluation(options.startEvaluator, (stopped) => {
      logger.error('rule stopped: a call ran longer than its time budget; it stays off on this node until its file changes or tailwatch restarts', { rule: stopped.ruleId, budgetMs: stopped.budgetMs });
      options.onRuleStopped(stopped);
    });
    this.#evaluator = has('evaluate')
      ? new EvaluatorNode({ resources, partitions, node: this.node, evaluation: this.#evaluation, parseSettings: options.parseSettings, metrics, onEvent: options.onEvent, logger: logger.child({ component: 'cluster-evaluator' }) })
      : undefined;
    this.#delivery = has('deliver')
      ? new DeliveryWorker({ resources, db: options.db, route: options.route, onEnqueued: options.onEnqueued, metrics, logger: logger.child({ component: 'cluster-delivery' }) })
      : undefined;
  }

  /** Connects, creates the streams, buckets and consumer that are missing; starts nothing yet. */
  static async open(options: ClusterNodeOptions): Promise<ClusterNode> {
    const partitions = partitionsOf(options.cluster, options.sourceTailnets);
    if (options.sourceTailnets.size > 0 && !options.cluster.roles.includes('ingest')) {
      throw new ConfigError('cluster.roles: sources are configured but this node has no "ingest" role');
    }
    const connection = await ClusterConnection.open(options.cluster, options.env, options.logger);
    try {
      const resources = await openResources(connection, options.cluster);
      if (options.cluster.roles.includes('deliver')) await DeliveryWorker.ensureConsumer(resources);
      return new ClusterNode(options, resources, partitions);
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  start(): void {
    this.#evaluator?.start();
    this.#delivery?.start();
  }

  /** A reload reaches the partitions evaluated here (their state stays). */
  setRules(rules: RulesConfig, suppressions: SuppressionEntry[]): Promise<void> {
    return this.#evaluation.setRules(rules, suppressions);
  }

  /** New ad hoc suppressions (read from the database by the worker) or a reload's. */
  setSuppressions(suppressions: SuppressionEntry[]): Promise<void> {
    return this.#evaluation.setSuppressions(suppressions);
  }

  /** Polled inventory, learned where this node's partitions are evaluated. */
  learnPolled(...args: Parameters<ClusterEvaluation['learnPolled']>): Promise<number> {
    return this.#evaluation.learnPolled(...args);
  }

  get stoppedRules(): StoppedRule[] {
    return this.#evaluation.stoppedRules;
  }

  health(): { ok: boolean; detail: string } {
    const parts = [this.#connection.health(), ...(this.#evaluator ? [this.#evaluator.health()] : []), ...(this.#delivery ? [this.#delivery.health()] : [])];
    return { ok: parts.every((part) => part.ok), detail: `node ${this.node}: ${parts.map((part) => part.detail).join('; ')}` };
  }

  /** Hands partitions over, leaves unsettled alerts to redelivery, and closes the connection. */
  async stop(): Promise<void> {
    await this.#evaluator?.stop();
    await this.#delivery?.stop();
    await this.#connection.close();
  }
}
