// One aggregate rule on one event: contributions in, crossings out as alert matches (same machinery as per-event
// rules). A throwing contributions/title/... function becomes a RULE_ERROR match, like in per-event rules.
import type { AggregatorOutput } from '../../aggregate/aggregator.ts';
import type { Crossing } from '../../aggregate/types.ts';
import type { AlertFields, AlertMatch } from '../../alerts/alert-match.ts';
import type { LogType, TailscaleEvent } from '../../schemas/log-types.ts';
import { alertFields } from '../base/alert-fields.ts';
import type { AlertDefaults } from '../base/alert-fields.ts';
import { ruleErrorMatch, ruleMatch } from '../base/match-checks.ts';
import { enterRule, leaveCall } from '../base/rule-calls.ts';
import type { CompiledAggregateRule } from './compiled-aggregate-rule.ts';

const MS_PER_MINUTE = 60_000;

/** Pushes one match per window that crossed on this event (usually none); `output` gets what the aggregator settled. */
export function crossingMatches(
  rule: CompiledAggregateRule, event: TailscaleEvent, eventTimeMs: number, clockMs: number, nextClockMs: number,
  output: AggregatorOutput, out: AlertMatch[],
): void {
  enterRule(rule.id);
  try {
    crossings(rule, event, eventTimeMs, clockMs, nextClockMs, output, out);
  } finally {
    leaveCall();
  }
}

function crossings(
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
    const state = { stage: 'title' };
    try {
      out.push(crossingMatch(rule, crossing, alertFields(rule, crossing, CROSSING_ALERTS, state)));
    } catch (error) {
      out.push(ruleErrorMatch(rule, event, eventTimeMs, state.stage, error));
    }
  }
}

/** The final fields of settled crossings, as matches that revise the ones first pushed (a throwing function keeps those). */
export function settledMatches(rule: CompiledAggregateRule, settled: readonly Crossing[], out: AlertMatch[]): void {
  enterRule(rule.id);
  try {
    for (const crossing of settled) {
      try {
        out.push(crossingMatch(rule, crossing, alertFields(rule, crossing, CROSSING_ALERTS, { stage: 'title' })));
      } catch {
        // The crossing's first fields stand; the error was reported when it was first evaluated, if it threw then.
      }
    }
  } finally {
    leaveCall();
  }
}

/**
 * A crossing as a match at the start of its window's last minute. Ties between groups sharing a dedup string go to
 * the smaller group; its fields are final once the window has settled (one minute after the lateness has passed).
 */
function crossingMatch(rule: CompiledAggregateRule, crossing: Crossing, alert: AlertFields): AlertMatch {
  return {
    ...ruleMatch(rule, Date.parse(crossing.windowEnd) - MS_PER_MINUTE, crossing.tailnet, alert),
    group: crossing.group,
    tieKey: crossing.group,
    settleMs: MS_PER_MINUTE,
  };
}

/** The dedup string is the group key; the standard context says what was measured, against what, where from. */
const CROSSING_ALERTS: AlertDefaults<Crossing> = {
  logTypes: (crossing) => [crossing.event.p_log_type as LogType],
  dedup: (_rule, crossing) => crossing.group,
  context: (crossing) => {
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
    return context;
  },
};
