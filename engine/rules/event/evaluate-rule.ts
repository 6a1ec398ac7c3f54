// One rule on one event, with Panther's semantics: filters, rule(), then title/dedup/severity/context of a match.
// Anything the rule throws (or returns of the wrong type) becomes a RULE_ERROR match instead.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { LogType, TailscaleEvent } from '../../schemas/log-types.ts';
import { alertFields } from '../base/alert-fields.ts';
import type { AlertDefaults } from '../base/alert-fields.ts';
import { expectBoolean, ruleErrorMatch, ruleMatch } from '../base/match-checks.ts';
import { enterRule, leaveCall } from '../base/rule-calls.ts';
import type { CompiledRule } from './compiled-rule.ts';

/** Panther's defaults: the dedup string is the custom title, else one per rule; no standard context. */
const EVENT_ALERTS: AlertDefaults<TailscaleEvent> = {
  logTypes: (event) => [event.p_log_type as LogType],
  dedup: (rule, _event, customTitle, title) => (customTitle ? title : `defaultDedupString:${rule.id}`),
  context: () => undefined,
};

/** Returns null when the rule does not match; a RULE or RULE_ERROR match otherwise. */
export function evaluateRule(rule: CompiledRule, event: TailscaleEvent, eventTimeMs: number): AlertMatch | null {
  enterRule(rule.id);
  try {
    return evaluate(rule, event, eventTimeMs);
  } finally {
    leaveCall();
  }
}

function evaluate(rule: CompiledRule, event: TailscaleEvent, eventTimeMs: number): AlertMatch | null {
  let stage = 'include';
  try {
    if (rule.include !== undefined && !expectBoolean(rule.include(event, rule.options), stage)) return null;
    stage = 'exclude';
    if (rule.exclude !== undefined && expectBoolean(rule.exclude(event, rule.options), stage)) return null;
    stage = 'rule';
    if (!expectBoolean(rule.rule(event, rule.options), stage)) return null;
  } catch (error) {
    return ruleErrorMatch(rule, event, eventTimeMs, stage, error);
  }
  // Allocated only for a match (most events do not match).
  const state = { stage: 'title' };
  try {
    return ruleMatch(rule, eventTimeMs, event.p_tailnet, alertFields(rule, event, EVENT_ALERTS, state));
  } catch (error) {
    return ruleErrorMatch(rule, event, eventTimeMs, state.stage, error);
  }
}
