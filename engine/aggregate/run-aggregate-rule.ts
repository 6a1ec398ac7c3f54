// runAggregateRule: one aggregate rule over a sequence of logs through the real alert machinery (dedup, windows).
import type { Alert } from '../alerts/alert.ts';
import { AlertTracker } from '../alerts/alert-tracker.ts';
import type { AlertChanges, AlertMatch } from '../alerts/alert-tracker.ts';
import { createMemoryStateStore } from '../alerts/memory-store.ts';
import { resolveRuleOptions } from '../rules/rule-options.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../schemas/index.ts';
import { AggregateRuleSet } from './aggregate-rule-set.ts';
import type { AnyAggregateRule } from './types.ts';

export interface RunAggregateRuleResult {
  /** Every alert, as closed at the end (final event counts). */
  alerts: Alert[];
  /** Alerts as they were created. */
  created: Alert[];
  /** Every crossing (and RULE_ERROR) before dedup. */
  matches: AlertMatch[];
  /** Logs that did not parse, by their index in the input. */
  rejected: { index: number; reason: string; message: string }[];
}

export function runAggregateRule(
  rule: AnyAggregateRule,
  logs: readonly unknown[],
  opts: { options?: Record<string, unknown> } = {},
): RunAggregateRuleResult {
  const result: RunAggregateRuleResult = { alerts: [], created: [], matches: [], rejected: [] };
  const rules = new AggregateRuleSet([{ rule: { ...rule, enabled: true }, options: resolveRuleOptions(rule, opts.options) }]);
  const tracker = new AlertTracker(createMemoryStateStore());
  const changes: AlertChanges = { created: result.created, closed: result.alerts };
  for (const [index, log] of logs.entries()) {
    const parsed = parseRecord(log, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'run-aggregate-rule', sourceLabel: `${rule.id} log #${index}` });
    if (!parsed.ok) {
      result.rejected.push({ index, reason: parsed.reason, message: parsed.message });
      continue;
    }
    const eventTimeMs = Date.parse(parsed.event.p_event_time);
    const matches: AlertMatch[] = [];
    rules.evaluate(parsed.event, eventTimeMs, matches);
    for (const match of matches) {
      result.matches.push(match);
      tracker.record(match, changes);
    }
    if (tracker.advance(eventTimeMs)) tracker.closeDue(changes);
  }
  tracker.flush(changes);
  return result;
}
