// Wires `tailwatch run`: config, state, rules, sources, HTTP endpoints, delivery, hot reload, snapshots, shutdown.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Alert } from '../../alerts/alert.ts';
import { DEFAULT_CONFIG_FILE } from '../../config/defaults.ts';
import { loadConfigOrDefault } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { changesNeedingRestart } from '../../config/live-changes.ts';
import { createDeliverer, destinationSet } from '../../destinations/create-deliverer.ts';
import { earliestDue, pendingCount } from '../../destinations/outbox.ts';
import { ensureOutboxSchema } from '../../destinations/outbox-schema.ts';
import { routeAlert } from '../../route/route-alert.ts';
import { routeRuleIdsMatchingNothing } from '../../route/unmatched-rule-ids.ts';
import { Evaluator } from '../../rules/evaluator.ts';
import { loadRules } from '../../rules/load-rules.ts';
import { Readiness } from '../../server/readiness.ts';
import { startHttpServers } from '../../server/start-servers.ts';
import { CheckpointStore } from '../../sources/checkpoints.ts';
import { createSources } from '../../sources/create-sources.ts';
import { openDatabase } from '../../state/database.ts';
import type { Database } from '../../state/database.ts';
import { ConfigError } from '../../errors.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { Metrics } from '../../telemetry/metrics.ts';
import { hecTokenNotice, withHecToken } from './hec-token.ts';
import { LivePipeline } from './live-pipeline.ts';
import { Reloader } from './reloader.ts';

export interface RunOptions {
  configPath: string | undefined;
  stopSignals: readonly NodeJS.Signals[];
}

const SNAPSHOT_INTERVAL_MS = 30_000;
const DRAIN_TIMEOUT_MS = 10_000;
const STUCK_AFTER_MS = 5 * 60_000;

export async function runEvaluator(options: RunOptions): Promise<void> {
  // Listening from the first line: a signal sent the moment start-up is announced must not meet the default handler.
  const stopRequested = waitForSignal(options.stopSignals);
  const configFile = options.configPath ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const { env, kept } = withHecToken(await loadConfigOrDefault(configFile, { checkSecrets: false }), process.env);
  const logger = createLogger({ env });
  const loadConfig = () => loadConfigOrDefault(configFile, { env });
  let config = await loadConfig();
  if (kept !== undefined) process.stderr.write(hecTokenNotice(kept));

  const metrics = new Metrics();
  const readiness = new Readiness();
  const db = openDatabase(config.dataDir);
  ensureOutboxSchema(db);
  const checkpoints = new CheckpointStore(db);
  const rules = await loadRules(config.rules.dir, { options: config.rules.options });
  metrics.setRulesLoaded(rules.length);
  const warnUnmatchedRoutes = (current: Config, loaded: readonly { rule: { id: string } }[]) => {
    for (const problem of routeRuleIdsMatchingNothing(current, loaded.map((l) => l.rule.id))) logger.warn('route pattern matches no rule', { problem });
  };
  warnUnmatchedRoutes(config, rules);
  const evaluator = new Evaluator(rules, {
    onMatch: (match) => (match.alert.type === 'RULE' ? metrics.ruleMatch(match.alert.ruleId) : metrics.ruleError(match.alert.ruleId)),
  });

  // The deliverer has its own connection, so a slow send never holds the pipeline's transactions.
  const deliveryDb = openDatabase(config.dataDir);
  const countPending = () => metrics.setOutboxPending(pendingCount(deliveryDb));
  const deliverer = createDeliverer(deliveryDb, config, {
    env,
    observer: {
      onDelivery: (event) => {
        metrics.delivery(event.destination, event.outcome);
        countPending();
      },
    },
    deadLetterUnknownDestinations: true,
  });
  const pipeline = new LivePipeline({
    db,
    checkpoints,
    evaluator,
    route: (alert: Alert) => routeAlert(alert, config).destinations,
    onEnqueued: () => {
      countPending();
      deliverer.wake();
    },
    metrics,
    logger,
  });
  const replayed = pipeline.recover();
  if (replayed > 0) logger.info('state restored from the journal', { batches: replayed });
  countPending();
  deliverer.start();

  const reloader = new Reloader({
    loadConfig,
    // Applied whole or not at all: everything that can fail is checked before anything is swapped.
    apply: (next, nextRules) => {
      const restart = changesNeedingRestart(config, next);
      if (restart.length > 0) throw new ConfigError(`${restart.join(', ')} changed: restart tailwatch to apply that (nothing of this reload was applied)`);
      const destinations = destinationSet(next, env);
      evaluator.setRules(nextRules);
      deliverer.setDestinations(destinations);
      config = next;
      metrics.setRulesLoaded(nextRules.length);
      warnUnmatchedRoutes(next, nextRules);
    },
    logger,
    onFailure: () => metrics.configReloadFailed(),
  });
  reloader.watch([resolve(config.rules.dir), ...(configFile === undefined ? [] : [resolve(configFile)])]);

  const sources = createSources(config.sources, { checkpoints, env, logger });
  for (const source of sources) readiness.register(`source:${source.name}`, () => source.health());
  readiness.register('rules', () =>
    reloader.lastError === undefined ? { ok: true } : { ok: false, detail: `last reload failed (previous rules and config still running): ${reloader.lastError}` },
  );
  readiness.register('outbox', () => outboxHealth(db, config));
  const servers = await startHttpServers({ sources, httpListen: config.http?.listen, readiness, metrics, logger });
  for (const source of sources) await source.start(pipeline.handle);
  const snapshots = setInterval(() => pipeline.snapshot(), SNAPSHOT_INTERVAL_MS);
  logger.info('tailwatch is running', { rules: rules.length, sources: sources.map((s) => s.name), dataDir: config.dataDir });

  const signal = await stopRequested;
  logger.info('stopping', { signal });
  clearInterval(snapshots);
  await reloader.close();
  for (const source of sources) await source.stop();
  await Promise.all(servers.map((server) => server.close()));
  const pending = await deliverer.drain({ timeoutMs: DRAIN_TIMEOUT_MS });
  await deliverer.stop({ timeoutMs: DRAIN_TIMEOUT_MS });
  pipeline.snapshot();
  db.close();
  deliveryDb.close();
  logger.info('stopped', { pendingDeliveries: pending });
}

/** The outbox is stuck when a delivery has been due for minutes without being attempted (the worker is not moving). */
function outboxHealth(db: Database, config: Config): { ok: boolean; detail?: string } {
  const overdueMs = Date.now() - STUCK_AFTER_MS;
  const stuck = Object.keys(config.destinations).filter((name) => (earliestDue(db, name) ?? Infinity) < overdueMs);
  return stuck.length === 0 ? { ok: true } : { ok: false, detail: `deliveries overdue by more than ${STUCK_AFTER_MS / 60_000} minutes for ${stuck.join(', ')}` };
}

function waitForSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        signals.forEach((s, i) => process.off(s, handlers[i]!));
        resolveSignal(signal);
      };
      process.on(signal, handler);
      return handler;
    });
  });
}
