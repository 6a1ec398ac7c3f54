// Test helpers for rule authors using vitest: run a rule over logs, run its inline tests, register them as cases.
export { runRule } from './run-rule.ts';
export type { RunRuleResult } from './run-rule.ts';
export { runRuleTests, runRuleTest } from './rule-test-runner.ts';
export type { RuleTestResult, RuleTestOptions } from './rule-test-runner.ts';
export { describeRuleTests } from './describe-rule-tests.ts';
export { describeRuleFileTests } from './describe-rule-file-tests.ts';
export type { RuleFileTestsOptions } from './describe-rule-file-tests.ts';
