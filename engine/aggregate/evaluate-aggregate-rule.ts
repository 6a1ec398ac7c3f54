// One aggregate rule on one event: contributions in, crossings out as alert matches (same machinery as per-event
// rules). A throwing contributions/title/... function becomes a RULE_ERROR match, like in per-event rules.
import type { AlertFields, AlertMatch } from '../alerts/alert-tracker.ts';
import { boundedContext, chosenDestinations, cut, expectSeverity, expectString, MAX_DEDUP_CHARS, MAX_TITLE_CHARS, ruleErrorMatch } from '../rules/match-checks.ts';
import { resolveSeverity } from '../rules/severity.ts';
import type { LogType, TailscaleEvent } from '../schemas/log-types.ts';
import type { CompiledAggregateRule } from './compiled-aggregate-rule.ts';
import type { Crossing } from './types.ts';

type Stage = 'contributions' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations';

/** Pushes one match per group that crossed its threshold on this event (usually none). */
export function evaluateAggregateRule(rule: CompiledAggregateRule, event: TailscaleEvent, eventTimeMs: number, out: AlertMatch[]): void {
  let crossings: readonly Crossing[];
  try {
    crossings = rule.aggregator.process(event, eventTimeMs);
  } catch (error) {
    out.push(ruleErrorMatch(rule, event, eventTimeMs, 'contributions', error));
    return;
  }
  for (const crossing of crossings) {
    const state = { stage: 'title' as Stage };
    try {
      out.push({ eventTimeMs, dedupPeriodMinutes: rule.dedupPeriodMinutes, threshold: rule.threshold, alert: crossingFields(rule, crossing, state) });
    } catch (error) {
      out.push(ruleErrorMatch(rule, event, eventTimeMs, state.stage, error));
    }
  }
}

function crossingFields(rule: CompiledAggregateRule, crossing: Crossing, state: { stage: Stage }): AlertFields {
  const { options } = rule;
  const title = cut(expectString(rule.title(crossing, options), 'title') || rule.id, MAX_TITLE_CHARS);
  state.stage = 'dedup';
  const dedup = cut((rule.dedup && expectString(rule.dedup(crossing, options), 'dedup')) || crossing.group, MAX_DEDUP_CHARS);
  state.stage = 'dynamicSeverity';
  const severity = rule.dynamicSeverity ? resolveSeverity(rule.severity, expectSeverity(rule.dynamicSeverity(crossing, options))) : rule.severity;
  state.stage = 'alertContext';
  const fields: AlertFields = {
    type: 'RULE',
    ruleId: rule.id,
    severity,
    title,
    dedup,
    logTypes: [crossing.event.p_log_type as LogType],
    alertContext: alertContext(rule, crossing),
    tags: [...rule.tags],
    reports: { ...rule.reports },
  };
  if (rule.description !== undefined) fields.description = rule.description;
  if (rule.runbook !== undefined) fields.runbook = rule.runbook;
  if (rule.reference !== undefined) fields.reference = rule.reference;
  state.stage = 'destinations';
  const destinations = chosenDestinations(typeof rule.destinations === 'function' ? rule.destinations(crossing, options) : rule.destinations);
  if (destinations !== undefined) fields.destinations = destinations;
  return fields;
}

/** The standard aggregate context (what was measured, against what, where from), then the rule's own fields. */
function alertContext(rule: CompiledAggregateRule, crossing: Crossing): Record<string, unknown> {
  const context: Record<string, unknown> = {
    group: crossing.group,
    measure: crossing.measure,
    value: crossing.value,
    threshold: crossing.threshold,
    windowMinutes: crossing.windowMinutes,
    windowStart: crossing.windowStart,
    windowEnd: crossing.windowEnd,
    topContributors: crossing.topContributors,
  };
  if (crossing.baseline !== undefined) context.baseline = crossing.baseline;
  if (rule.alertContext !== undefined) Object.assign(context, boundedContext(rule.alertContext(crossing, rule.options)));
  return boundedContext(context);
}
