// What the rule-tests worker (rule-tests-worker.ts) tells its owner (isolated-rule-tests.ts), in order.
import type { RuleTestResult } from './rule-test-runner.ts';
import type { CoverageProblem } from './test-coverage.ts';

export interface RuleTestsJob {
  /** The rules directory (its rules' own tests run; shipped rules are not tested from here). */
  dir: string;
  /** Option overrides by rule id (alerts.config.ts `rules.options`). */
  overrides: Record<string, Record<string, unknown>>;
  /** `--filter`: a substring or glob on rule id or test name. */
  filter: string | undefined;
  minTests: number;
  /** Rules finished in earlier attempts (after the watchdog stopped one): not run again. */
  done: string[];
}

export type RuleTestsMessage =
  | { type: 'rule'; ruleId: string; tests: number }
  | { type: 'test'; name: string }
  | { type: 'result'; result: RuleTestResult }
  | { type: 'coverage'; problem: CoverageProblem }
  | { type: 'rule-done'; ruleId: string }
  | { type: 'done' };
