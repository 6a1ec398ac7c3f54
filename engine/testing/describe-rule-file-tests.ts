// Registers the inline tests of every rule file in a directory as vitest cases, run in a watched worker thread: a
// rule that never returns fails its case with a clear message instead of hanging the test run.
import { describe, it } from 'vitest';
import type { Budgets } from '../workers/watched-worker.ts';
import { runRuleTestsIsolated } from './isolated-rule-tests.ts';
import type { RuleTestResult } from './rule-test-runner.ts';

export interface RuleFileTestsOptions {
  /** Option overrides by rule id (alerts.config.ts `rules.options`). */
  options?: Record<string, Record<string, unknown>>;
  budgets?: Budgets;
}

export async function describeRuleFileTests(dir: string, opts: RuleFileTestsOptions = {}): Promise<void> {
  const run = await runRuleTestsIsolated({ dir, overrides: opts.options ?? {}, filter: undefined, minTests: 0 }, ...(opts.budgets === undefined ? [] : [opts.budgets]));
  const byRule = new Map<string, RuleTestResult[]>();
  for (const result of run.results) byRule.set(result.ruleId, [...(byRule.get(result.ruleId) ?? []), result]);
  for (const [ruleId, results] of byRule) {
    describe(ruleId, () => {
      for (const result of results) {
        it(result.name, () => {
          if (!result.passed) throw new Error(result.failures.join('\n'));
        });
      }
    });
  }
}
