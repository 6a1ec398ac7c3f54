// Aggregate rules: event-time windows over contributions, grouped by key (for the evaluator, loader and tests).
export { defineAggregateRule } from './define-aggregate-rule.ts';
export { AggregateRuleSet } from './aggregate-rule-set.ts';
export type { LoadedAggregateRule, AggregateRuleStats } from './aggregate-rule-set.ts';
export { AggregateRuleShape } from './aggregate-rule-shape.ts';
export { runAggregateRule } from './run-aggregate-rule.ts';
export type { RunAggregateRuleResult } from './run-aggregate-rule.ts';
export { runAggregateRuleTest, runAggregateRuleTests } from './aggregate-test-runner.ts';
export type * from './types.ts';
