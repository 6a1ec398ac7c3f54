// A route's matcher, compiled once per config: says why an alert does not match, or nothing when it does.
import type { Alert } from '../alerts/alert.ts';
import type { RouteMatch } from '../config/routes.ts';
import { compileGlob } from '../rules/rule-id-glob.ts';
import { severityRank } from '../rules/base/severity.ts';

/** Returns undefined when the alert matches, else the first condition it fails, in words. */
export type CompiledMatch = (alert: Alert) => string | undefined;

export function compileMatch(match: RouteMatch): CompiledMatch {
  const checks: CompiledMatch[] = [];
  if (match.type !== undefined) {
    const type = match.type;
    checks.push((a) => (a.type === type ? undefined : `type ${a.type} is not ${type}`));
  }
  if (match.severity !== undefined) {
    const wanted = new Set(Array.isArray(match.severity) ? match.severity : [match.severity]);
    const list = [...wanted].join(', ');
    checks.push((a) => (wanted.has(a.severity) ? undefined : `severity ${a.severity} is not ${list}`));
  }
  if (match.minSeverity !== undefined) {
    const floor = match.minSeverity;
    const rank = severityRank(floor);
    checks.push((a) => (severityRank(a.severity) >= rank ? undefined : `severity ${a.severity} is below ${floor}`));
  }
  if (match.logTypes !== undefined) {
    const wanted = new Set<string>(match.logTypes);
    const list = match.logTypes.join(', ');
    checks.push((a) => (a.logTypes.some((t) => wanted.has(t)) ? undefined : `log types [${a.logTypes.join(', ')}] not in ${list}`));
  }
  if (match.ruleIds !== undefined) {
    const patterns = match.ruleIds.map(compileGlob);
    const list = match.ruleIds.join(', ');
    checks.push((a) => (patterns.some((matches) => matches(a.ruleId)) ? undefined : `rule id ${a.ruleId} not in ${list}`));
  }
  if (match.tailnets !== undefined) {
    const patterns = match.tailnets.map(compileGlob);
    const list = match.tailnets.join(', ');
    checks.push((a) => (patterns.some((matches) => matches(a.tailnet)) ? undefined : `tailnet ${a.tailnet} not in ${list}`));
  }
  if (match.tags !== undefined) {
    const wanted = new Set(match.tags.map((t) => t.toLowerCase()));
    const list = match.tags.join(', ');
    checks.push((a) => (a.tags.some((t) => wanted.has(t.toLowerCase())) ? undefined : `no tag in ${list}`));
  }
  return (alert) => {
    for (const check of checks) {
      const reason = check(alert);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };
}

/** A short human description of a matcher, for explanations. */
export function describeMatch(match: RouteMatch): string {
  const parts: string[] = [];
  if (match.type !== undefined) parts.push(`type ${match.type}`);
  if (match.severity !== undefined) parts.push(`severity ${[match.severity].flat().join('|')}`);
  if (match.minSeverity !== undefined) parts.push(`severity >= ${match.minSeverity}`);
  if (match.logTypes !== undefined) parts.push(`log type ${match.logTypes.join('|')}`);
  if (match.ruleIds !== undefined) parts.push(`rule ${match.ruleIds.join('|')}`);
  if (match.tailnets !== undefined) parts.push(`tailnet ${match.tailnets.join('|')}`);
  if (match.tags !== undefined) parts.push(`tag ${match.tags.join('|')}`);
  return parts.length > 0 ? parts.join(' and ') : 'every alert';
}
