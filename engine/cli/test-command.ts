// `tailwatch test`: load rules, run their inline tests (filtered), check --min-tests, print a report.
import { resolve } from 'node:path';
import { z } from 'zod';
import { readConfigModule } from '../config/load.ts';
import { ConfigError } from '../errors.ts';
import { loadRules } from '../rules/load-rules.ts';
import { expiredEntries, SuppressionEntries } from '../suppressions/suppression-entry.ts';
import { runRuleTest } from '../testing/rule-test-runner.ts';
import { checkTestCoverage } from '../testing/test-coverage.ts';
import type { CoverageProblem } from '../testing/test-coverage.ts';
import { compileTestFilter } from '../testing/test-filter.ts';
import { buildTestReport, formatJson, formatText } from '../testing/test-report.ts';
import type { TestReport } from '../testing/test-report.ts';
import type { RuleTestResult } from '../testing/rule-test-runner.ts';

export interface TestCommandArgs {
  rules: string;
  filter?: string | undefined;
  format: 'text' | 'json';
  minTests: number;
  config?: string | undefined;
}

/** Only `rules.options` and `suppressions` are read from the config; the rest belongs to `tailwatch run`. */
const ConfigRuleOptions = z.looseObject({
  rules: z.looseObject({ options: z.record(z.string(), z.record(z.string(), z.unknown())).optional() }).optional(),
  suppressions: SuppressionEntries.optional(),
});
type TestedConfig = z.output<typeof ConfigRuleOptions>;

export async function runTestCommand(args: TestCommandArgs, out: { write(text: string): unknown }): Promise<TestReport> {
  const config = args.config === undefined ? {} : await readTestedConfig(args.config);
  const overrides = config.rules?.options ?? {};
  const loaded = await loadRules(args.rules, { options: overrides });
  const filter = args.filter === undefined ? undefined : compileTestFilter(args.filter);
  const results: RuleTestResult[] = [];
  const coverage: CoverageProblem[] = [];
  let rules = 0;
  for (const { rule } of loaded) {
    const wholeRule = filter === undefined || filter(rule.id);
    const keep = (test: { name: string }): boolean => wholeRule || filter?.(test.name) === true;
    if (!wholeRule && !(rule.tests ?? []).some(keep)) continue;
    rules += 1;
    const options = overrides[rule.id];
    const opts = options === undefined ? {} : { options };
    results.push(...(rule.tests ?? []).filter(keep).map((test) => runRuleTest(rule, test, opts)));
    const problem = args.minTests > 0 ? checkTestCoverage(rule, args.minTests) : undefined;
    if (problem !== undefined) coverage.push(problem);
  }
  const warnings = expiredEntries(config.suppressions ?? [], Date.now()).map(
    (entry) => `suppression ${entry.id} (${args.config}) expired at ${entry.expires}: it silences nothing newer; remove it or move its expiry (owner ${entry.owner})`,
  );
  const report = buildTestReport(rules, results, coverage, warnings);
  out.write(args.format === 'json' ? formatJson(report) : formatText(report));
  return report;
}

async function readTestedConfig(configPath: string): Promise<TestedConfig> {
  const parsed = ConfigRuleOptions.safeParse(await readConfigModule(resolve(configPath)));
  if (!parsed.success) throw new ConfigError(`${configPath}: invalid rules.options or suppressions:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
