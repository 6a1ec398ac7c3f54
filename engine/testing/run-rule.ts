// runRule: a rule (any kind) over a list of logs through the real evaluator (windows, dedup, threshold, revisions).
import type { Alert } from '../alerts/alert.ts';
import type { AlertMatch } from '../alerts/alert-match.ts';
import { fixtureInventory } from '../inventory/memory.ts';
import type { InventoryFixture } from '../inventory/memory.ts';
import { resolveRuleOptions } from '../rules/base/rule-options.ts';
import { Evaluator } from '../rules/evaluator.ts';
import type { AnyKindRule } from '../rules/rule-kinds.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../schemas/index.ts';

export interface RunRuleResult {
  /** Every alert in its final form (every window closed at the end). */
  alerts: Alert[];
  /** Alerts as they were first created (revision 1, when the threshold was reached). */
  created: Alert[];
  /** Later revisions, in the order they were emitted. */
  revised: Alert[];
  /** Every match before dedup and threshold, RULE_ERROR matches included. */
  matches: AlertMatch[];
  /** Logs that did not parse, by their index in the input. */
  rejected: { index: number; reason: string; message: string }[];
  /** Logs of a type that is not one of the rule's logTypes (the rule never sees them), by their index. */
  ignored: { index: number; logType: string }[];
}

/** Parses each log (any delivery shape) and runs the rule on it, in order, then closes every window. */
export function runRule(
  rule: AnyKindRule, logs: readonly unknown[], opts: { options?: Record<string, unknown>; inventory?: InventoryFixture } = {},
): RunRuleResult {
  const result: RunRuleResult = { alerts: [], created: [], revised: [], matches: [], rejected: [], ignored: [] };
  const loaded = { rule: { ...rule, enabled: true }, options: resolveRuleOptions(rule, opts.options), file: '' };
  const inventory = opts.inventory === undefined ? undefined : fixtureInventory(opts.inventory, DEFAULT_PARSE_SETTINGS.tailnet).tracker;
  const evaluator = new Evaluator([loaded], { onMatch: (match) => result.matches.push(match), ...(inventory === undefined ? {} : { inventory }) });
  const collect = (changes: { created: readonly Alert[]; revised: readonly Alert[]; closed: readonly Alert[] }) => {
    result.created.push(...changes.created);
    result.revised.push(...changes.revised);
    result.alerts.push(...changes.closed);
  };
  for (const [index, log] of logs.entries()) {
    const parsed = parseRecord(log, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'run-rule', sourceLabel: `${rule.id} log #${index}` });
    if (!parsed.ok) {
      result.rejected.push({ index, reason: parsed.reason, message: parsed.message });
      continue;
    }
    if (!rule.logTypes.includes(parsed.event.p_log_type)) result.ignored.push({ index, logType: parsed.event.p_log_type });
    collect(evaluator.process(parsed.event, parsed.eventTimeMs));
  }
  collect(evaluator.flush());
  return result;
}
