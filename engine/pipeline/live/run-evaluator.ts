// Wires `tailwatch run`: config, state, rules, sources, HTTP endpoints, delivery, hot reload, snapshots, shutdown.
// Start-up does everything that can fail first (config, database, lock, rules, sources, listening) and starts
// nothing that runs on its own (deliverer, sources, timers, watchers) until all of it succeeded.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Alert } from '../../alerts/alert.ts';
import { DEFAULT_CONFIG_FILE } from '../../config/defaults.ts';
import { ConfigError, StateError } from '../../errors.ts';
import { loadConfigOrDefault } from '../../config/load.ts';
import { parseSettings } from '../../config/parse-settings.ts';
import { DEFAULT_PARSE_SETTINGS } from '../../schemas/parse.ts';
import type { Config } from '../../config/schema.ts';
import { changesNeedingRestart } from '../../config/live-changes.ts';
import { ClusterNode } from '../../cluster/cluster-node.ts';
import { createDeliverer, destinationSet } from '../../destinations/create-deliverer.ts';
import { resolveSecret } from '../../config/secret.ts';
import { earliestDue, pendingCount } from '../../destinations/outbox.ts';
import { routeAlert } from '../../route/route-alert.ts';
import { routeRuleIdsMatchingNothing } from '../../route/unmatched-rule-ids.ts';
import { InventoryPoller } from '../../inventory/poller.ts';
import { InventoryStore } from '../../inventory/store.ts';
import type { RuleInfo } from '../../rules/rule-info.ts';
import { ruleBudgets } from '../../config/rules-config.ts';
import { EvaluatorHost } from '../../workers/evaluator-host.ts';
import { checkRulesLoad } from '../../workers/rule-load-check.ts';
import { lastAdHocId } from '../../suppressions/suppression-store.ts';
import { createApiClient } from '../../tailscale-api/create-client.ts';
import { Readiness } from '../../server/readiness.ts';
import { startHttpServers } from '../../server/start-servers.ts';
import { CheckpointStore } from '../../sources/checkpoints.ts';
import { createSources, sourceTailnets } from '../../sources/create-sources.ts';
import { HEARTBEAT_MS, acquireEvaluatorLock, heartbeat, openDatabase, releaseEvaluatorLock, type Database } from '../../state/index.ts';
import { createLogger, type Logger } from '../../telemetry/logger.ts';
import { Metrics } from '../../telemetry/metrics.ts';
import { BackgroundTasks } from './background-tasks.ts';
import { hecTokenNotice, withHecToken } from './hec-token.ts';
import { LivePipeline, countEvent } from './live-pipeline.ts';
import type { StoppedRule } from '../../workers/stopped-rules.ts';
import { rejectKeeper } from './reject-keeper.ts';
import { Reloader } from './reloader.ts';
import { SnapshotSchedule } from './snapshot-schedule.ts';
import { StopRequest } from './stop-request.ts';
import { webConsole } from '../../console/web-console.ts';

export interface RunOptions {
  configPath: string | undefined;
  stopSignals: readonly NodeJS.Signals[];
  /** Ends the process now (the CLI passes process.exit): a second stop signal, or a stop that overran its bound. */
  exit: (code: number) => void;
}

const DRAIN_TIMEOUT_MS = 10_000;
/** SIGTERM exits within the drain timeout plus this, whatever is still running. */
const STOP_GRACE_MS = 4_000;
/** After a failed start-up, what it left behind (e.g. a rule module's timer) may not keep the process up longer. */
const FAILED_START_EXIT_MS = 2_000;
const STUCK_AFTER_MS = 5 * 60_000;
const SUPPRESSIONS_POLL_MS = 1_000;

export async function runEvaluator(options: RunOptions): Promise<void> {
  // Listening from the first line: a signal sent the moment start-up is announced must not meet the default handler.
  const stop = new StopRequest(options.stopSignals, options.exit, DRAIN_TIMEOUT_MS + STOP_GRACE_MS);
  const teardown = new Teardown();
  const logger = createLogger({ env: process.env });
  stop.logger = logger;
  teardown.logger = logger;
  try {
    const running = await start(options, stop, teardown, logger);
    logger.info('stopping', { signal: await stop.requested, ...(running ? {} : { during: 'start-up' }) });
    await teardown.run();
    logger.info('stopped', { pendingDeliveries: teardown.pendingDeliveries });
    if (stop.failure !== undefined) throw stop.failure;
  } catch (error) {
    await teardown.run();
    setTimeout(() => options.exit(1), FAILED_START_EXIT_MS).unref();
    throw error;
  } finally {
    stop.close();
  }
}

/** Builds and starts everything; false when a stop was requested before start-up finished. */
async function start(
  options: RunOptions,
  stop: StopRequest,
  teardown: Teardown,
  logger: Logger,
): Promise<boolean> {
  const configFile = options.configPath ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const { env, kept } = withHecToken(await loadConfigOrDefault(configFile, { checkSecrets: false }), process.env);
  const loadConfig = () => loadConfigOrDefault(configFile, { env });
  let config = await loadConfig();
  if (kept !== undefined) process.stderr.write(hecTokenNotice(kept));
  if (stop.isRequested) return false;

  const metrics = new Metrics();
  const readiness = new Readiness();
  const tasks = new BackgroundTasks(logger, metrics);
  const openOptions = { maxDatabaseMiB: config.maxDatabaseMiB };
  const db = openDatabase(config.dataDir, openOptions);
  teardown.add(() => db.close());
  acquireEvaluatorLock(db, config.dataDir);
  teardown.add(() => releaseEvaluatorLock(db));
  // The deliverer has its own connection, so a slow send never holds the pipeline's transactions.
  const deliveryDb = openDatabase(config.dataDir, openOptions);
  teardown.add(() => deliveryDb.close());
  const checkpoints = new CheckpointStore(db);
  // Rule code runs only in worker threads, under the watchdog: this thread knows the rules as the data they report.
  let currentRules: readonly RuleInfo[] = [];
  if (stop.isRequested) return false;
  const warnUnmatchedRoutes = (current: Config, loaded: readonly RuleInfo[]) => {
    for (const problem of routeRuleIdsMatchingNothing(current, loaded.map((rule) => rule.id))) logger.warn('route pattern matches no rule', { problem });
  };
  // The evaluation workers keep the inventory tracker; pollers read what is stored through this connection.
  const inventoryStore = new InventoryStore(db);
  const startEvaluator = (stopped: string[]) =>
    EvaluatorHost.start(
      { dataDir: config.dataDir, rules: config.rules, stopped, allowedLatenessMinutes: config.time.allowedLatenessMinutes, suppressions: config.suppressions },
      ruleBudgets(config.rules),
    );
  const onRuleStopped = (stopped: StoppedRule) => metrics.ruleTimeout(stopped.ruleId);
  // The evaluation worker reads the ad hoc suppressions from the database when it starts, before the journal.
  let adHocSeen = lastAdHocId(db);

  const countPending = () => metrics.setOutboxPending(pendingCount(deliveryDb));
  const deliverer = createDeliverer(deliveryDb, config, {
    env,
    observer: {
      onDelivery: (event) => {
        metrics.delivery(event.destination, event.outcome);
        tasks.recovered(`delivery:${event.destination}`);
        countPending();
      },
      onError: (destination, error) => tasks.report(`delivery:${destination}`, error),
    },
    logger,
    deadLetterUnknownDestinations: true,
  });
  // Sources change only with a restart, so their tailnets are fixed for this run.
  const tailnets = sourceTailnets(config.sources);
  // Cluster mode: sources publish to JetStream; partitions are evaluated wherever their lease is (engine/cluster).
  const cluster = config.cluster === undefined ? undefined : await ClusterNode.open({
    cluster: config.cluster,
    env,
    sourceTailnets: tailnets,
    startEvaluator,
    onRuleStopped,
    parseSettings: () => parseSettings(config),
    checkpoints,
    db,
    route: (alert: Alert) => routeAlert(alert, config).destinations,
    onEnqueued: () => {
      countPending();
      deliverer.wake();
    },
    onRejects: rejectKeeper(db, metrics, logger),
    onEvent: (event) => countEvent(metrics, event),
    metrics,
    logger,
  });
  if (cluster !== undefined) teardown.add(() => cluster.stop());
  const pipeline = new LivePipeline({
    db,
    checkpoints,
    startEvaluator,
    onRuleStopped,
    route: (alert: Alert) => routeAlert(alert, config).destinations,
    parseSettings: () => parseSettings(config),
    historyRetentionDays: config.history.retentionDays,
    signalRetentionDays: config.signals.retentionDays,
    tailnetOf: (source) => tailnets.get(source) ?? DEFAULT_PARSE_SETTINGS.tailnet,
    onEnqueued: () => {
      countPending();
      deliverer.wake();
    },
    metrics,
    logger,
  });
  const sources = createSources(config.sources, { checkpoints, env, logger });
  if (cluster === undefined) {
    teardown.add(() => pipeline.close());
    const replayed = await pipeline.start();
    if (replayed > 0) logger.info('state restored from the journal', { batches: replayed });
    teardown.add(() => pipeline.snapshot());
    currentRules = pipeline.rules;
  } else {
    // Partitions start their worker when they are taken: a throwaway worker checks the modules load in time first.
    currentRules = await checkRulesLoad(config.rules);
  }
  metrics.setRulesLoaded(currentRules.length);
  warnUnmatchedRoutes(config, currentRules);
  countPending();
  const reloader = new Reloader({
    loadConfig,
    // Applied whole or not at all: everything that can fail is checked before anything is swapped.
    apply: async (next) => {
      const restart = changesNeedingRestart(config, next);
      if (restart.length > 0) throw new ConfigError(`${restart.join(', ')} changed: restart tailwatch to apply that (nothing of this reload was applied)`);
      const destinations = destinationSet(next, env);
      // A throwaway worker imports the new modules first, under the load budget: one that does not finish fails the
      // reload there. Then the evaluation worker swaps them in.
      const nextRules = await checkRulesLoad(next.rules);
      if (cluster === undefined) {
        await pipeline.setRules(next.rules);
        await pipeline.setSuppressions(next.suppressions);
      } else {
        await cluster.setRules(next.rules, next.suppressions);
      }
      currentRules = nextRules;
      deliverer.setDestinations(destinations);
      config = next;
      metrics.setRulesLoaded(nextRules.length);
      warnUnmatchedRoutes(next, nextRules);
      return nextRules.length;
    },
    logger,
    onFailure: () => metrics.configReloadFailed(),
  });

  for (const source of sources) readiness.register(`source:${source.name}`, () => source.health());
  metrics.watchSourceLags(() => sources.flatMap((source) => (source.lag?.() ?? []).map((lag) => ({ source: source.name, ...lag }))));
  readiness.register('rules', () => rulesHealth(reloader.lastError, (cluster ?? pipeline).stoppedRules));
  readiness.register('outbox', () => outboxHealth(db, config));
  readiness.register('background', () => tasks.health());
  if (cluster !== undefined) readiness.register('cluster', () => cluster.health());
  readiness.register('destinations', () => deliverer.health());
  const httpToken = config.http?.token === undefined ? undefined : resolveSecret(config.http.token, 'http.token', env);
  const consoleServer = config.console.enabled ? webConsole(config, env, () => config, { db, readiness, metrics, rules: () => currentRules, stoppedRules: () => (cluster ?? pipeline).stoppedRules, wake: () => deliverer.wake() }) : undefined;
  const servers = await startHttpServers({ sources, httpListen: config.http?.listen, httpToken, readiness, metrics, logger, console: consoleServer });
  teardown.add(() => Promise.all(servers.map((server) => server.close())));
  // Before the servers close: an open event stream would hold their close() for its whole grace period.
  if (consoleServer !== undefined) teardown.add(() => consoleServer.feed.close());
  if (consoleServer?.notice !== undefined) process.stderr.write(consoleServer.notice);
  if (stop.isRequested) return false;

  // Start-up succeeded: from here on things run by themselves.
  teardown.add(async () => {
    teardown.pendingDeliveries = await deliverer.drain({ timeoutMs: DRAIN_TIMEOUT_MS });
    await deliverer.stop({ timeoutMs: 1_000 });
  });
  deliverer.start();
  const schedule = new SnapshotSchedule(pipeline, tasks, config.maxDatabaseMiB);
  teardown.add(async () => {
    for (const source of sources) await source.stop();
  });
  for (const source of sources) await source.start(cluster?.handle ?? schedule.handle);
  teardown.add(() => reloader.close());
  await reloader.watch([resolve(config.rules.dir), ...(configFile === undefined ? [] : [resolve(configFile)])]);
  teardown.add(() => tasks.close());
  if (cluster === undefined) schedule.start();
  else cluster.start();
  // `tailwatch suppress` writes from another process: new rows apply from the next batch on.
  tasks.every('ad hoc suppressions', SUPPRESSIONS_POLL_MS, async () => {
    const last = lastAdHocId(db);
    if (last === adHocSeen) return;
    adHocSeen = last;
    await (cluster ?? pipeline).setSuppressions(config.suppressions);
    logger.info('ad hoc suppressions reloaded', { lastId: last });
  });
  const stopPolls = new AbortController();
  teardown.add(() => stopPolls.abort());
  for (const [index, entry] of config.inventory.entries()) {
    const tailnet = entry.tailnet ?? DEFAULT_PARSE_SETTINGS.tailnet;
    // The stream positions polled versions are learned at live with the evaluation (in its worker, outside cluster mode).
    const evaluation = cluster ?? pipeline;
    const tracker = { learnPolled: evaluation.learnPolled.bind(evaluation) };
    const poller = new InventoryPoller({ tailnet, client: createApiClient(entry, `inventory[${index}]`, env, logger), store: inventoryStore, tracker });
    const poll = async () => {
      const stored = await poller.poll(stopPolls.signal);
      if (stored > 0) logger.info('inventory changed', { tailnet, versions: stored });
    };
    void tasks.run(`inventory:${tailnet}`, poll);
    tasks.every(`inventory:${tailnet}`, entry.pollMinutes * 60_000, poll);
  }
  tasks.every('lock heartbeat', HEARTBEAT_MS, () => {
    if (heartbeat(db)) return;
    logger.error('another process took over the data directory lock; stopping', { dataDir: config.dataDir });
    stop.request('lock lost', new StateError(`another process took over the data directory ${config.dataDir}; this one stopped`));
  });
  // Last resort: a promise nobody awaited is reported; an exception nobody caught stops the evaluator, loudly.
  const onRejection = (error: unknown) => tasks.report('unhandled rejection', error);
  const onException = (error: Error) => {
    logger.error('uncaught exception; stopping', { error: error.message, stack: error.stack });
    stop.request('uncaught exception', error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  teardown.add(() => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  });
  const clusterInfo = cluster === undefined ? {} : { clusterNode: cluster.node, partitions: cluster.partitions };
  logger.info('tailwatch is running', { rules: currentRules.length, sources: sources.map((s) => s.name), dataDir: config.dataDir, ...clusterInfo });
  return true;
}

/** What start-up built, undone in reverse order; one failing step is logged and the others still run. */
class Teardown {
  readonly #steps: (() => unknown)[] = [];
  logger: Logger | undefined;
  pendingDeliveries = 0;

  add(step: () => unknown): void {
    this.#steps.push(step);
  }

  async run(): Promise<void> {
    for (let step = this.#steps.pop(); step !== undefined; step = this.#steps.pop()) {
      try {
        await step();
      } catch (error) {
        this.logger?.error('stop step failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}

/** Rules are healthy when the last reload worked and the watchdog stopped none. */
function rulesHealth(lastError: string | undefined, stopped: readonly StoppedRule[]): { ok: boolean; detail?: string } {
  const problems: string[] = [];
  if (lastError !== undefined) problems.push(`last reload failed (previous rules and config still running): ${lastError}`);
  if (stopped.length > 0) {
    const names = stopped.map((rule) => `${rule.ruleId} (a call ran longer than ${rule.budgetMs} ms)`).join(', ');
    problems.push(`stopped for overrunning the time budget, off until their file changes or tailwatch restarts: ${names}`);
  }
  return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
}

/** The outbox is stuck when a delivery has been due for minutes without being attempted (the worker is not moving). */
function outboxHealth(db: Database, config: Config): { ok: boolean; detail?: string } {
  const overdueMs = Date.now() - STUCK_AFTER_MS;
  const stuck = Object.keys(config.destinations).filter((name) => (earliestDue(db, name) ?? Infinity) < overdueMs);
  return stuck.length === 0 ? { ok: true } : { ok: false, detail: `deliveries overdue by more than ${STUCK_AFTER_MS / 60_000} minutes for ${stuck.join(', ')}` };
}
