// runRule: a rule over a list of logs through the real evaluator (dedup, threshold, windows), for vitest users.
import type { Alert } from '../alerts/alert.ts';
import type { AlertMatch } from '../alerts/alert-tracker.ts';
import { Evaluator } from '../rules/evaluator.ts';
import { resolveRuleOptions } from '../rules/rule-options.ts';
import type { AnyRule } from '../rules/types.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../schemas/index.ts';

export interface RunRuleResult {
  /** Every alert, as closed at the end (final event counts). */
  alerts: Alert[];
  /** Alerts as they were created (when the threshold was reached). */
  created: Alert[];
  /** Every match before dedup and threshold, RULE_ERROR matches included. */
  matches: AlertMatch[];
  /** Logs that did not parse, by their index in the input. */
  rejected: { index: number; reason: string; message: string }[];
}

/** Parses each log (any delivery shape, or an already-parsed event) and runs the rule on it, in order. */
export function runRule(rule: AnyRule, logs: readonly unknown[], opts: { options?: Record<string, unknown> } = {}): RunRuleResult {
  const result: RunRuleResult = { alerts: [], created: [], matches: [], rejected: [] };
  const loaded = { rule: { ...rule, enabled: true }, options: resolveRuleOptions(rule, opts.options), file: '' };
  const evaluator = new Evaluator([loaded], { onMatch: (match) => result.matches.push(match) });
  for (const [index, log] of logs.entries()) {
    const parsed = parseRecord(log, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'run-rule', sourceLabel: `${rule.id} log #${index}` });
    if (!parsed.ok) {
      result.rejected.push({ index, reason: parsed.reason, message: parsed.message });
      continue;
    }
    const changes = evaluator.process(parsed.event);
    result.created.push(...changes.created);
    result.alerts.push(...changes.closed);
  }
  result.alerts.push(...evaluator.flush().closed);
  return result;
}
