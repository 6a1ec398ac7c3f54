// runRule: a rule (any kind) over a list of logs through the real evaluator (windows, dedup, threshold, revisions).
import type { Alert } from '../alerts/alert.ts';
import type { AlertMatch } from '../alerts/alert-match.ts';
import type { Signal } from '../alerts/signal.ts';
import { fixtureInventory } from '../inventory/memory.ts';
import type { InventoryFixture } from '../inventory/memory.ts';
import { resolveRuleOptions } from '../rules/base/rule-options.ts';
import { correlationInputs } from '../rules/correlation/correlation-inputs.ts';
import { Evaluator } from '../rules/evaluator.ts';
import type { EvaluationResult } from '../rules/evaluator.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import type { AnyKindRule } from '../rules/rule-kinds.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../schemas/index.ts';

export interface RunRuleResult {
  /** Every alert of the rule in its final form (every window closed at the end). */
  alerts: Alert[];
  /** The rule's alerts as they were first created (revision 1, when the threshold was reached). */
  created: Alert[];
  /** Later revisions, in the order they were emitted. */
  revised: Alert[];
  /** The rule's signals (a signal rule records these instead of raising alerts). */
  signals: Signal[];
  /** Every match of the rule before dedup and threshold, RULE_ERROR matches included. */
  matches: AlertMatch[];
  /** RULE_ERROR matches of the rules a correlation reads. */
  inputErrors: AlertMatch[];
  /** Logs that did not parse, by their index in the input. */
  rejected: { index: number; reason: string; message: string }[];
  /** Logs of a type that is not one of the rule's logTypes (the rule never sees them), by their index. */
  ignored: { index: number; logType: string }[];
}

export interface RunRuleOptions {
  options?: Record<string, unknown>;
  /** Rules a correlation may read (the loaded rule set): those its steps name run beside it, enabled. */
  rules?: readonly LoadedRule[];
  /** The inventory the rule sees (an inline test's `inventory` fixture). */
  inventory?: InventoryFixture;
}

/** Parses each log (any delivery shape) and runs the rule on it, in order, then closes every window. */
export function runRule(rule: AnyKindRule, logs: readonly unknown[], opts: RunRuleOptions = {}): RunRuleResult {
  const result: RunRuleResult = { alerts: [], created: [], revised: [], signals: [], matches: [], inputErrors: [], rejected: [], ignored: [] };
  const options = resolveRuleOptions(rule, opts.options);
  const inputs = rule.kind === 'correlation' ? correlationInputs(rule, options, opts.rules ?? []) : [];
  const loaded = [{ rule: { ...rule, enabled: true }, options, file: '' }, ...inputs.map((input) => ({ ...input, rule: { ...input.rule, enabled: true } }))];
  const own = (ruleId: string) => ruleId === rule.id;
  const inventory = opts.inventory === undefined ? undefined : fixtureInventory(opts.inventory, DEFAULT_PARSE_SETTINGS.tailnet).tracker;
  const evaluator = new Evaluator(loaded, {
    onMatch: (match) => {
      if (own(match.alert.ruleId)) result.matches.push(match);
      else if (match.alert.type === 'RULE_ERROR') result.inputErrors.push(match);
    },
    ...(inventory === undefined ? {} : { inventory }),
  });
  const collect = (changes: EvaluationResult) => {
    result.created.push(...changes.created.filter((alert) => own(alert.ruleId)));
    result.revised.push(...changes.revised.filter((alert) => own(alert.ruleId)));
    result.alerts.push(...changes.closed.filter((alert) => own(alert.ruleId)));
    result.signals.push(...changes.signals.filter((signal) => own(signal.ruleId)));
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
