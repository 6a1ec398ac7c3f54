// Runs a rule's inline tests: parse the log, run filters and rule, compare to `expected`, then title/dedup/severity/context.
import { compileRule } from '../rules/compiled-rule.ts';
import { evaluateRule } from '../rules/evaluate-rule.ts';
import { resolveRuleOptions } from '../rules/rule-options.ts';
import type { AnyRule, RuleTest } from '../rules/types.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../schemas/index.ts';
import { checkAlert } from './expectations.ts';

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
}

export function runRuleTests(rule: AnyRule, opts: RuleTestOptions = {}): RuleTestResult[] {
  return (rule.tests ?? []).map((test) => runRuleTest(rule, test, opts));
}

export function runRuleTest(rule: AnyRule, test: RuleTest, opts: RuleTestOptions = {}): RuleTestResult {
  const failures = check(rule, test, opts);
  return { ruleId: rule.id, name: test.name, passed: failures.length === 0, failures };
}

function check(rule: AnyRule, test: RuleTest, opts: RuleTestOptions): string[] {
  let options: Record<string, unknown>;
  try {
    options = resolveRuleOptions(rule, { ...opts.options, ...test.options });
  } catch (error) {
    return [`options: ${(error as Error).message}`];
  }
  const parsed = parseRecord(test.log, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'inline-test', sourceLabel: `${rule.id} › ${test.name}` });
  if (!parsed.ok) return [`log does not parse (${parsed.reason}): ${parsed.message}`];
  const { event } = parsed;
  if (!rule.logTypes.includes(event.p_log_type)) {
    return test.expected ? [`log is ${event.p_log_type}, not one of the rule's logTypes (${rule.logTypes.join(', ')}), so the rule never sees it`] : [];
  }
  const match = evaluateRule(compileRule(rule, options), event, Date.parse(event.p_event_time));
  if (match?.alert.type === 'RULE_ERROR') {
    const { error, alertContext } = match.alert;
    return [`${String(alertContext['function'])}() threw ${error?.name}: ${error?.message}`];
  }
  const matched = match !== null;
  if (matched !== test.expected) return [`expected: ${test.expected ? 'match' : 'no match'}, actual: ${matched ? 'match' : 'no match'}`];
  if (match === null) return [];
  return checkAlert(test, match.alert);
}
