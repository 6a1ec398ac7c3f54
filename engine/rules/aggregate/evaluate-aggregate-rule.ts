// One aggregate rule on one event: contributions in, crossings out as alert matches (same machinery as per-event
// rules). A throwing contributions/title/... function becomes a RULE_ERROR match, like in per-event rules.
import type { AlertFields, AlertMatch } from '../alerts/alert-match.ts';
import { boundedContext, chosenDestinations, cut, expectSeverity, expectString, MAX_DEDUP_CHARS, MAX_TITLE_CHARS, ruleErrorMatch } from '../rules/match-checks.ts';
import { resolveSeverity } from '../rules/severity.ts';
import type { LogType, TailscaleEvent } from '../schemas/log-types.ts';
import type { CompiledAggregateRule } from './compiled-aggregate-rule.ts';
import type { AggregatorOutput } from './aggregator.ts';
import type { Crossing } from './types.ts';

type Stage = 'contributions' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations';

const MS_PER_MINUTE = 60_000;

/** Pushes one match per window that crossed on this event (usually none); `output` gets what the aggregator settled. */
export function crossingMatches(
  rule: CompiledAggregateRule, event: TailscaleEvent, eventTimeMs: number, clockMs: number, nextClockMs: number,
  output: AggregatorOutput, out: AlertMatch[],
): void {
  try {
    rule.aggregator.process(event, eventTimeMs, clockMs, nextClockMs, output);
  } catch (error) {
    out.push(ruleErrorMatch(rule, event, eventTimeMs, 'contributions', error));
    return;
  }
  for (const crossing of output.crossings) {
    const state = { stage: 'title' as Stage };
    try {
      out.push(crossingMatch(rule, crossing, crossingFields(rule, crossing, state)));
    } catch (error) {
      out.push(ruleErrorMatch(rule, event, eventTimeMs, state.stage, error));
    }
  }
}

/** The final fields of settled crossings, as matches that revise the ones first pushed (a throwing function keeps those). */
export function settledMatches(rule: CompiledAggregateRule, settled: readonly Crossing[], out: AlertMatch[]): void {
  for (const crossing of settled) {
    try {
      out.push(crossingMatch(rule, crossing, crossingFields(rule, crossing, { stage: 'title' })));
    } catch {
      // The crossing's first fields stand; the error was reported when it was first evaluated, if it threw then.
    }
  }
}

/**
 * A crossing as a match at the start of its window's last minute. Ties between groups sharing a dedup string go to
 * the smaller group; its fields are final once the window has settled (one minute after the lateness has passed).
 */
function crossingMatch(rule: CompiledAggregateRule, crossing: Crossing, alert: AlertFields): AlertMatch {
  return {
    eventTimeMs: Date.parse(crossing.windowEnd) - MS_PER_MINUTE,
    tailnet: crossing.tailnet,
    ruleLogTypes: rule.logTypes,
    dedupPeriodMinutes: rule.dedupPeriodMinutes,
    threshold: rule.threshold,
    tieKey: crossing.group,
    settleMs: MS_PER_MINUTE,
    alert,
  };
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
    tailnet: crossing.tailnet,
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
