// Wires `tailwatch run`: config, state, rules, sources, HTTP endpoints, delivery, hot reload, snapshots, shutdown.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Alert } from '../../alerts/alert.ts';
import { DEFAULT_CONFIG_FILE } from '../../config/defaults.ts';
import { loadConfigOrDefault } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { resolveSecret } from '../../config/secret.ts';
import { createDeliverer } from '../../destinations/create-deliverer.ts';
import { earliestDue, pendingCount } from '../../destinations/outbox.ts';
import { ensureOutboxSchema } from '../../destinations/outbox-schema.ts';
import { routeAlert } from '../../route/route-alert.ts';
import { Evaluator } from '../../rules/evaluator.ts';
import { loadRules } from '../../rules/load-rules.ts';
import { Readiness } from '../../server/readiness.ts';
import { startHttpServers } from '../../server/start-servers.ts';
import { CheckpointStore } from '../../sources/checkpoints.ts';
import { createSources } from '../../sources/create-sources.ts';
import { openDatabase } from '../../state/database.ts';
import type { Database } from '../../state/database.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { Metrics } from '../../telemetry/metrics.ts';
import { withHecToken } from './hec-token.ts';
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
  const { env, generated } = withHecToken(process.env);
  const logger = createLogger({ env });
  const configFile = options.configPath ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const loadConfig = () => loadConfigOrDefault(configFile, { env });
  let config = await loadConfig();
  // Printed once, plainly: the logger redacts tokens, and the user needs this one to configure the sender.
  if (generated !== undefined) process.stderr.write(`TAILWATCH_HEC_TOKEN is not set; HEC token for this run: ${generated}\n`);

  const metrics = new Metrics();
  const readiness = new Readiness();
  const db = openDatabase(config.dataDir);
  ensureOutboxSchema(db);
  const checkpoints = new CheckpointStore(db);
  const rules = await loadRules(config.rules.dir, { options: config.rules.options });
  metrics.setRulesLoaded(rules.length);
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
    logger,
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
    apply: (next, nextRules) => {
      evaluator.setRules(nextRules);
      if (JSON.stringify(next.sources) !== JSON.stringify(config.sources) || JSON.stringify(next.destinations) !== JSON.stringify(config.destinations)) {
        logger.warn('sources or destinations changed: restart tailwatch to apply them (rules and routes are applied now)');
      }
      config = next;
      metrics.setRulesLoaded(nextRules.length);
    },
    logger,
    onFailure: () => metrics.configReloadFailed(),
  });
  reloader.watch([resolve(config.rules.dir), ...(configFile === undefined ? [] : [resolve(configFile)])]);

  const sources = createSources(config.sources, { checkpoints, env, logger });
  for (const source of sources) readiness.register(`source:${source.name}`, () => source.health());
  readiness.register('rules', () =>
    reloader.lastError === undefined ? { ok: true } : { ok: false, detail: `last reload failed (previous rules still running): ${reloader.lastError}` },
  );
  readiness.register('outbox', () => outboxHealth(db, config));
  readiness.register('destinations', () => deliverer.health());
  const httpToken = config.http?.token === undefined ? undefined : resolveSecret(config.http.token, 'http.token', env);
  const servers = await startHttpServers({ sources, httpListen: config.http?.listen, httpToken, readiness, metrics, logger });
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
