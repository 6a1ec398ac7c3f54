// Registers every rule's inline tests as vitest cases (per-event and aggregate rules), so `npm test` covers them.
import { describe, it } from 'vitest';
import { runAggregateRuleTest } from '../aggregate/aggregate-test-runner.ts';
import type { AnyAggregateRule } from '../aggregate/types.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import type { AnyRule } from '../rules/types.ts';
import type { RuleTestOptions, RuleTestResult } from './rule-test-runner.ts';
import { runRuleTest } from './rule-test-runner.ts';

type AnyKindRule = AnyRule | AnyAggregateRule;

export function describeRuleTests(rules: readonly (AnyKindRule | LoadedRule)[]): void {
  for (const entry of rules) {
    const { rule, options } = 'kind' in entry ? { rule: entry, options: undefined } : entry;
    const opts: RuleTestOptions = options === undefined ? {} : { options };
    const cases = testCases(rule, opts);
    if (cases.length === 0) continue;
    describe(rule.id, () => {
      for (const [name, run] of cases) {
        it(name, () => {
          const result = run();
          if (!result.passed) throw new Error(result.failures.join('\n'));
        });
      }
    });
  }
}

function testCases(rule: AnyKindRule, opts: RuleTestOptions): [string, () => RuleTestResult][] {
  if (rule.kind === 'aggregate') return (rule.tests ?? []).map((test) => [test.name, () => runAggregateRuleTest(rule, test, opts)]);
  return (rule.tests ?? []).map((test) => [test.name, () => runRuleTest(rule, test, opts)]);
}
