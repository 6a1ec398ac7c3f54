// The console as `tailwatch run` builds it: its password (and the line announcing a generated one), sessions,
// live feed and routes, for startHttpServers to mount.
import type { Config } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import { routeAlert } from '../route/route-alert.ts';
import type { RuleInfo } from '../rules/rule-info.ts';
import type { Route } from '../server/http-server.ts';
import type { Readiness } from '../server/readiness.ts';
import type { Database } from '../state/database.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { AlertFeed } from './alert-feed.ts';
import { ConsoleAuth } from './console-auth.ts';
import { consolePassword } from './console-password.ts';
import { consoleRoutes } from './console-routes.ts';
import { Sessions } from './sessions.ts';

export interface WebConsole {
  listen?: string | undefined;
  routes: Route[];
  feed: AlertFeed;
  /** Printed at start when the password was generated or read back from the dataDir. */
  notice?: string | undefined;
}

export interface WebConsoleParts {
  db: Database;
  readiness: Readiness;
  metrics: Metrics;
  rules: () => readonly RuleInfo[];
  stoppedRules: () => readonly { ruleId: string; budgetMs: number }[];
  /** Wakes the deliverer (dead letters retried from the page). */
  wake: () => void;
}

/** `current` reads the running config, so routing and destinations follow a reload. */
export function webConsole(config: Config, env: Environment, current: () => Config, parts: WebConsoleParts): WebConsole {
  const { password, notice } = consolePassword(config.console, config.dataDir, env);
  const auth = new ConsoleAuth(password, new Sessions(config.console.sessionHours));
  const feed = new AlertFeed(parts.db);
  const routes = consoleRoutes({
    db: parts.db,
    auth,
    feed,
    readiness: parts.readiness,
    metrics: parts.metrics,
    rules: parts.rules,
    stoppedRules: parts.stoppedRules,
    route: (alert) => routeAlert(alert, current()).destinations,
    destinations: () => Object.keys(current().destinations),
    onRetried: parts.wake,
  });
  return { listen: config.console.listen, routes, feed, notice };
}
