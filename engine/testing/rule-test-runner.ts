// Runs a rule's inline tests, whatever its kind: each test's logs in order through the real Evaluator (windows,
// dedup, threshold, revisions), then the first alert's title/dedup/severity/context.
import { resolveRuleOptions } from '../rules/base/rule-options.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import { testLogs } from '../rules/rule-kinds.ts';
import type { AnyKindRule, AnyRuleTest } from '../rules/rule-kinds.ts';
import { checkAlert } from './expectations.ts';
import { runRule } from './run-rule.ts';
import type { RunRuleResult } from './run-rule.ts';

export interface RuleTestResult {
  ruleId: string;
  name: string;
  passed: boolean;
  /** One line per failed expectation, each showing expected vs actual. */
  failures: string[];
}

export interface RuleTestOptions {
  /** Option overrides applied under each test's own `options` (e.g. from alerts.config.ts). */
  options?: Record<string, unknown>;
  /** The loaded rule set a correlation's tests take the rules its steps name from. */
  rules?: readonly LoadedRule[];
}

export function runRuleTests(rule: AnyKindRule, opts: RuleTestOptions = {}): RuleTestResult[] {
  return (rule.tests ?? []).map((test) => runRuleTest(rule, test, opts));
}

export function runRuleTest(rule: AnyKindRule, test: AnyRuleTest, opts: RuleTestOptions = {}): RuleTestResult {
  const failures = check(rule, test, opts);
  return { ruleId: rule.id, name: test.name, passed: failures.length === 0, failures };
}

function check(rule: AnyKindRule, test: AnyRuleTest, opts: RuleTestOptions): string[] {
  const overrides = { ...opts.options, ...test.options };
  try {
    resolveRuleOptions(rule, overrides);
  } catch (error) {
    return [`options: ${(error as Error).message}`];
  }
  const logs = testLogs(test);
  let run: RunRuleResult;
  try {
    run = runRule(rule, logs, { options: overrides, ...(opts.rules === undefined ? {} : { rules: opts.rules }), ...(test.inventory === undefined ? {} : { inventory: test.inventory }) });
  } catch (error) {
    return [`window: ${(error as Error).message}`];
  }
  if (run.rejected.length > 0) {
    return run.rejected.map((r) => `${'logs' in test ? `log #${r.index}` : 'log'} does not parse (${r.reason}): ${r.message}`);
  }
  const error = run.matches.find((match) => match.alert.type === 'RULE_ERROR')?.alert;
  if (error !== undefined) return [`${String(error.alertContext['function'])}() threw ${error.error?.name}: ${error.error?.message}`];
  const inputError = run.inputErrors[0]?.alert;
  if (inputError !== undefined) return [`input rule ${inputError.ruleId}: ${String(inputError.alertContext['function'])}() threw ${inputError.error?.name}: ${inputError.error?.message}`];
  // A signal's test expects what it records; every other rule's, the alerts it raises.
  const alerts = rule.signal === true ? run.signals : run.created;
  if ('alerts' in test && test.alerts !== undefined && alerts.length !== test.alerts) {
    return [`expected: ${test.alerts} alert(s), actual: ${alerts.length} (${alerts.map((a) => a.dedup).join(', ')})`];
  }
  const what = rule.signal === true ? ['a signal', 'no signal'] : ['an alert', 'no alert'];
  if (test.expected !== alerts.length > 0) return [`expected: ${test.expected ? what[0] : what[1]}, actual: ${actual(rule, run)}`];
  const alert = alerts[0];
  if (alert === undefined) return [];
  return checkAlert(test, alert);
}

/** What the logs did instead, with the likely reason when they created no alert. */
function actual(rule: AnyKindRule, run: RunRuleResult): string {
  const [alert] = run.created;
  if (alert !== undefined) return `${run.created.length} alert(s) (${alert.title})`;
  const [signal] = run.signals;
  if (signal !== undefined) return `${run.signals.length} signal(s) (${signal.title})`;
  if (run.ignored.length > 0) {
    const { logType } = run.ignored[0] as { logType: string };
    return `no alert: log is ${logType}, not one of the rule's logTypes (${rule.logTypes.join(', ')}), so the rule never sees it`;
  }
  if (run.matches.length > 0) return `no alert: ${run.matches.length} match(es), below the rule's threshold of ${rule.threshold ?? 1}`;
  return 'no alert';
}
