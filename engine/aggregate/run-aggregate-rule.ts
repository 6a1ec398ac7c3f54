// runAggregateRule: one aggregate rule over a sequence of logs through the real evaluator (windows, dedup, revisions).
import type { AnyAggregateRule } from './types.ts';
import { runRule } from '../testing/run-rule.ts';
import type { RunRuleResult } from '../testing/run-rule.ts';

export type RunAggregateRuleResult = RunRuleResult;

export function runAggregateRule(rule: AnyAggregateRule, logs: readonly unknown[], opts: { options?: Record<string, unknown> } = {}): RunAggregateRuleResult {
  return runRule(rule, logs, opts);
}
