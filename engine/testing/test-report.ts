// Output of `tailwatch test`: PASS/FAIL lines with failure details, then a summary that repeats every failure
// (so they are not lost among the PASS lines), or one JSON document.
import type { CoverageProblem } from './test-coverage.ts';
import type { RuleTestResult } from './rule-test-runner.ts';

export interface TestReport {
  results: RuleTestResult[];
  coverage: CoverageProblem[];
  /** Problems that fail nothing: suppressions in the config that have expired by the wall clock. */
  warnings: string[];
  summary: { rules: number; tests: number; passed: number; failed: number; coverageFailures: number };
}

export function buildTestReport(rules: number, results: RuleTestResult[], coverage: CoverageProblem[], warnings: string[] = []): TestReport {
  const passed = results.filter((result) => result.passed).length;
  return {
    results,
    coverage,
    warnings,
    summary: { rules, tests: results.length, passed, failed: results.length - passed, coverageFailures: coverage.length },
  };
}

export function reportFailed(report: TestReport): boolean {
  return report.summary.failed > 0 || report.summary.coverageFailures > 0;
}

export function formatText(report: TestReport): string {
  const lines: string[] = [];
  const failures: string[] = [];
  for (const result of report.results) {
    const block = [`${result.passed ? 'PASS' : 'FAIL'} ${result.ruleId} › ${result.name}`, ...result.failures.map(indent)];
    lines.push(...block);
    if (!result.passed) failures.push(...block);
  }
  const coverageLines = report.coverage.map((problem) => `FAIL ${problem.ruleId} › (min-tests) ${problem.message}`);
  lines.push(...coverageLines);
  failures.push(...coverageLines);
  const { rules, tests, passed, failed, coverageFailures } = report.summary;
  if (failures.length > 0) lines.push('', 'Failures:', ...failures);
  if (report.warnings.length > 0) lines.push('', ...report.warnings.map((warning) => `WARN ${warning}`));
  const coverage = coverageFailures > 0 ? `, ${coverageFailures} rule${coverageFailures === 1 ? '' : 's'} below --min-tests` : '';
  lines.push('', `${tests} test${tests === 1 ? '' : 's'}: ${passed} passed, ${failed} failed${coverage} (${rules} rule${rules === 1 ? '' : 's'})`);
  return `${lines.join('\n')}\n`;
}

/** Under its FAIL line; a detail spanning lines stays indented as one block. */
function indent(failure: string): string {
  return `    ${failure.replaceAll('\n', '\n      ')}`;
}

export function formatJson(report: TestReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
