// Decides which destinations an alert goes to, and says why (for `tailwatch route --explain`).
import type { Alert } from '../alerts/alert.ts';
import type { Config } from '../config/schema.ts';
import type { Route } from '../config/routes.ts';
import { severityRank } from '../rules/base/severity.ts';
import { compileMatch, describeMatch, type CompiledMatch } from './matcher.ts';

export type RoutingConfig = Pick<Config, 'destinations' | 'routes' | 'defaultRoute'>;

export interface RouteDecision {
  /** Destination names, in order, each once. */
  destinations: string[];
  /** One line per decision taken, in order. */
  reasons: string[];
}

const compiledRoutes = new WeakMap<readonly Route[], CompiledMatch[]>();

export function routeAlert(alert: Alert, config: RoutingConfig): RouteDecision {
  const reasons: string[] = [];
  const chosen = alert.destinations === undefined ? viaRoutes(alert, config, reasons) : viaRule(alert, alert.destinations, config, reasons);
  const destinations: string[] = [];
  for (const name of chosen) {
    if (destinations.includes(name)) continue;
    const floor = config.destinations[name]?.minSeverity;
    if (floor !== undefined && severityRank(alert.severity) < severityRank(floor)) {
      reasons.push(`${name} skipped: severity ${alert.severity} is below its minSeverity ${floor}`);
      continue;
    }
    destinations.push(name);
  }
  return { destinations, reasons };
}

function viaRule(alert: Alert, names: string[], config: RoutingConfig, reasons: string[]): string[] {
  if (names.length === 0) {
    reasons.push(`rule ${alert.ruleId} chose no destinations: delivered nowhere`);
    return [];
  }
  const known = names.filter((name) => Object.hasOwn(config.destinations, name));
  const unknown = names.filter((name) => !Object.hasOwn(config.destinations, name));
  if (unknown.length > 0) reasons.push(`rule ${alert.ruleId} named unconfigured destination(s) ${unknown.join(', ')}: ignored`);
  if (known.length === 0) {
    // Losing the alert to a typo in a rule is worse than routing it normally.
    reasons.push('none of the rule\'s destinations is configured: routing normally');
    return viaRoutes(alert, config, reasons);
  }
  reasons.push(`rule ${alert.ruleId} chose ${known.join(', ')} (overrides routes)`);
  return known;
}

function viaRoutes(alert: Alert, config: RoutingConfig, reasons: string[]): string[] {
  const matchers = matchersOf(config.routes);
  const chosen: string[] = [];
  let matched = false;
  for (let i = 0; i < config.routes.length; i++) {
    const route = config.routes[i] as Route;
    const label = `route #${i + 1}${route.name === undefined ? '' : ` "${route.name}"`}`;
    const mismatch = (matchers[i] as CompiledMatch)(alert);
    if (mismatch !== undefined) {
      reasons.push(`${label} skipped: ${mismatch}`);
      continue;
    }
    matched = true;
    reasons.push(`${label} (${describeMatch(route.match)}) matched → ${route.to.length > 0 ? route.to.join(', ') : 'nowhere'}`);
    chosen.push(...route.to);
    if (!route.continue) return chosen;
  }
  if (matched) return chosen;
  reasons.push(`no route matched → defaultRoute: ${config.defaultRoute.length > 0 ? config.defaultRoute.join(', ') : 'nowhere'}`);
  return config.defaultRoute;
}

function matchersOf(routes: readonly Route[]): CompiledMatch[] {
  let matchers = compiledRoutes.get(routes);
  if (matchers === undefined) {
    matchers = routes.map((route) => compileMatch(route.match));
    compiledRoutes.set(routes, matchers);
  }
  return matchers;
}
