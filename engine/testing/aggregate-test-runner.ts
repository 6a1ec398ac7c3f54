// Runs an aggregate rule's inline tests: each test's logs in order through the rule and the alert machinery,
// then the first alert's title/dedup/severity/context. Same result shape as per-event rule tests.
import { resolveRuleOptions } from '../rules/rule-options.ts';
import { checkAlert } from '../testing/expectations.ts';
import type { RuleTestResult, RuleTestOptions } from '../testing/rule-test-runner.ts';
import { runAggregateRule } from './run-aggregate-rule.ts';
import type { AggregateRuleTest, AnyAggregateRule } from './types.ts';

export function runAggregateRuleTests(rule: AnyAggregateRule, opts: RuleTestOptions = {}): RuleTestResult[] {
  return (rule.tests ?? []).map((test) => runAggregateRuleTest(rule, test, opts));
}

export function runAggregateRuleTest(rule: AnyAggregateRule, test: AggregateRuleTest, opts: RuleTestOptions = {}): RuleTestResult {
  const failures = check(rule, test, opts);
  return { ruleId: rule.id, name: test.name, passed: failures.length === 0, failures };
}

function check(rule: AnyAggregateRule, test: AggregateRuleTest, opts: RuleTestOptions): string[] {
  const overrides = { ...opts.options, ...test.options };
  try {
    resolveRuleOptions(rule, overrides);
  } catch (error) {
    return [`options: ${(error as Error).message}`];
  }
  let run: ReturnType<typeof runAggregateRule>;
  try {
    run = runAggregateRule(rule, test.logs, { options: overrides });
  } catch (error) {
    return [`window: ${(error as Error).message}`];
  }
  if (run.rejected.length > 0) return run.rejected.map((r) => `log #${r.index} does not parse (${r.reason}): ${r.message}`);
  const error = run.matches.find((match) => match.alert.type === 'RULE_ERROR')?.alert;
  if (error !== undefined) return [`${String(error.alertContext['function'])}() threw ${error.error?.name}: ${error.error?.message}`];
  const alerts = run.created;
  if (test.alerts !== undefined && alerts.length !== test.alerts) {
    return [`expected: ${test.alerts} alert(s), actual: ${alerts.length} (${alerts.map((a) => a.dedup).join(', ')})`];
  }
  if (test.expected !== alerts.length > 0) {
    return [`expected: ${test.expected ? 'an alert' : 'no alert'}, actual: ${alerts.length} alert(s)${alerts[0] ? ` (${alerts[0].title})` : ''}`];
  }
  const alert = alerts[0];
  if (alert === undefined) return [];
  return checkAlert(test, alert);
}
