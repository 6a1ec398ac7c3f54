// One rule on one event, with Panther's semantics: filters, rule(), then title/dedup/severity/context of a match.
// Anything the rule throws (or returns of the wrong type) becomes a RULE_ERROR match instead.
import type { AlertFields, AlertMatch } from '../alerts/alert-match.ts';
import type { LogType, TailscaleEvent } from '../schemas/log-types.ts';
import type { CompiledRule, EventFn } from './compiled-rule.ts';
import {
  boundedContext,
  chosenDestinations,
  cut,
  expectBoolean,
  expectSeverity,
  expectString,
  MAX_DEDUP_CHARS,
  MAX_TITLE_CHARS,
  ruleErrorMatch,
} from './match-checks.ts';
import { resolveSeverity } from './severity.ts';

/** The rule function being run, named in RULE_ERROR alerts. */
type Stage = 'include' | 'exclude' | 'rule' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'description' | 'runbook' | 'reference' | 'destinations';

/** Returns null when the rule does not match; a RULE or RULE_ERROR match otherwise. */
export function evaluateRule(rule: CompiledRule, event: TailscaleEvent, eventTimeMs: number): AlertMatch | null {
  let stage: Stage = 'include';
  try {
    if (rule.include !== undefined && !expectBoolean(rule.include(event, rule.options), stage)) return null;
    stage = 'exclude';
    if (rule.exclude !== undefined && expectBoolean(rule.exclude(event, rule.options), stage)) return null;
    stage = 'rule';
    if (!expectBoolean(rule.rule(event, rule.options), stage)) return null;
  } catch (error) {
    return ruleErrorMatch(rule, event, eventTimeMs, stage, error);
  }
  const state = { stage: 'title' as Stage };
  try {
    return {
      eventTimeMs,
      tailnet: event.p_tailnet,
      ruleLogTypes: rule.logTypes,
      dedupPeriodMinutes: rule.dedupPeriodMinutes,
      threshold: rule.threshold,
      alert: matchFields(rule, event, state),
    };
  } catch (error) {
    return ruleErrorMatch(rule, event, eventTimeMs, state.stage, error);
  }
}

/** Runs the rule's alert functions on a matching event; `state.stage` names the one running if it throws. */
function matchFields(rule: CompiledRule, event: TailscaleEvent, state: { stage: Stage }): AlertFields {
  const { options } = rule;
  const customTitle = rule.title === undefined ? '' : expectString(rule.title(event, options), 'title');
  const title = cut(customTitle || rule.displayName || rule.id, MAX_TITLE_CHARS);
  state.stage = 'dedup';
  const customDedup = rule.dedup === undefined ? '' : expectString(rule.dedup(event, options), 'dedup');
  const dedup = cut(customDedup || (customTitle ? title : `defaultDedupString:${rule.id}`), MAX_DEDUP_CHARS);
  state.stage = 'dynamicSeverity';
  const severity = rule.dynamicSeverity === undefined ? rule.severity : resolveSeverity(rule.severity, expectSeverity(rule.dynamicSeverity(event, options)));
  state.stage = 'alertContext';
  const alertContext = rule.alertContext === undefined ? {} : boundedContext(rule.alertContext(event, options));
  const fields: AlertFields = {
    type: 'RULE',
    ruleId: rule.id,
    severity,
    title,
    dedup,
    logTypes: [event.p_log_type as LogType],
    alertContext,
    tags: [...rule.tags],
    reports: { ...rule.reports },
  };
  state.stage = 'description';
  if (rule.description !== undefined) fields.description = text(rule.description, event, options, 'description');
  state.stage = 'runbook';
  if (rule.runbook !== undefined) fields.runbook = text(rule.runbook, event, options, 'runbook');
  state.stage = 'reference';
  if (rule.reference !== undefined) fields.reference = text(rule.reference, event, options, 'reference');
  state.stage = 'destinations';
  const destinations = chosenDestinations(typeof rule.destinations === 'function' ? rule.destinations(event, options) : rule.destinations);
  if (destinations !== undefined) fields.destinations = destinations;
  return fields;
}

function text(value: string | EventFn<string>, event: TailscaleEvent, options: Record<string, unknown>, stage: Stage): string {
  return typeof value === 'string' ? value : expectString(value(event, options), stage);
}
