// `tailwatch test`: load rules, run their inline tests (filtered), check --min-tests, print a report.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { loadRules } from '../rules/load-rules.ts';
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

/** Only `rules.options` is read from the config; the rest belongs to `tailwatch run`. */
const ConfigRuleOptions = z.looseObject({
  rules: z.looseObject({ options: z.record(z.string(), z.record(z.string(), z.unknown())).optional() }).optional(),
});

export async function runTestCommand(args: TestCommandArgs, out: { write(text: string): unknown }): Promise<TestReport> {
  const overrides = args.config === undefined ? {} : await readRuleOptions(args.config);
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
    const opts = { ...(options === undefined ? {} : { options }), rules: loaded };
    results.push(...(rule.tests ?? []).filter(keep).map((test) => runRuleTest(rule, test, opts)));
    const problem = args.minTests > 0 ? checkTestCoverage(rule, args.minTests) : undefined;
    if (problem !== undefined) coverage.push(problem);
  }
  const report = buildTestReport(rules, results, coverage);
  out.write(args.format === 'json' ? formatJson(report) : formatText(report));
  return report;
}

async function readRuleOptions(configPath: string): Promise<Record<string, Record<string, unknown>>> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(configPath)).href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError(`cannot load config ${configPath}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ConfigRuleOptions.safeParse(module.default);
  if (!parsed.success) throw new ConfigError(`${configPath}: invalid rules.options:\n${z.prettifyError(parsed.error)}`);
  return parsed.data.rules?.options ?? {};
}
