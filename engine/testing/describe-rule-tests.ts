// Registers every rule's inline tests (any kind) as vitest cases, so `npm test` covers them.
import { describe, it } from 'vitest';
import type { LoadedRule } from '../rules/load-rules.ts';
import type { AnyKindRule } from '../rules/rule-kinds.ts';
import type { RuleTestOptions } from './rule-test-runner.ts';
import { runRuleTest } from './rule-test-runner.ts';

export function describeRuleTests(rules: readonly (AnyKindRule | LoadedRule)[]): void {
  for (const entry of rules) {
    const { rule, options } = 'kind' in entry ? { rule: entry, options: undefined } : entry;
    // A correlation's tests read the rules its steps name from the same list.
    const loaded = rules.filter((other): other is LoadedRule => !('kind' in other));
    const opts: RuleTestOptions = { ...(options === undefined ? {} : { options }), rules: loaded };
    const tests = rule.tests ?? [];
    if (tests.length === 0) continue;
    describe(rule.id, () => {
      for (const test of tests) {
        it(test.name, () => {
          const result = runRuleTest(rule, test, opts);
          if (!result.passed) throw new Error(result.failures.join('\n'));
        });
      }
    });
  }
}
