// `tailwatch test`: load rules, run their inline tests (filtered), check --min-tests, print a report.
import { resolve } from 'node:path';
import { z } from 'zod';
import { readConfigModule } from '../config/load.ts';
import { DEFAULT_RULE_BUDGETS, ruleBudgets } from '../config/rules-config.ts';
import { ConfigError } from '../errors.ts';
import { expiredEntries, SuppressionEntries } from '../suppressions/suppression-entry.ts';
import { runRuleTestsIsolated } from '../testing/isolated-rule-tests.ts';
import { buildTestReport, formatJson, formatText } from '../testing/test-report.ts';
import type { TestReport } from '../testing/test-report.ts';

export interface TestCommandArgs {
  rules: string;
  filter?: string | undefined;
  format: 'text' | 'json';
  minTests: number;
  config?: string | undefined;
}

/** Only `rules.options`, the rules' budgets and `suppressions` are read from the config; the rest belongs to `tailwatch run`. */
const ConfigRuleOptions = z.looseObject({
  rules: z
    .looseObject({ options: z.record(z.string(), z.record(z.string(), z.unknown())).optional(), timeBudgetMs: z.int().positive().optional(), loadBudgetMs: z.int().positive().optional() })
    .optional(),
  suppressions: SuppressionEntries.optional(),
});
type TestedConfig = z.output<typeof ConfigRuleOptions>;

export async function runTestCommand(args: TestCommandArgs, out: { write(text: string): unknown }): Promise<TestReport> {
  const config = args.config === undefined ? {} : await readTestedConfig(args.config);
  // The rules in the directory; shipped rules bring their own tests. The config's options may also name shipped
  // rules, which are not tested here. The tests run in a worker thread, under the rules' time budget.
  const run = await runRuleTestsIsolated(
    { dir: args.rules, overrides: config.rules?.options ?? {}, filter: args.filter, minTests: args.minTests },
    ruleBudgets({ timeBudgetMs: config.rules?.timeBudgetMs ?? DEFAULT_RULE_BUDGETS.callMs, loadBudgetMs: config.rules?.loadBudgetMs ?? DEFAULT_RULE_BUDGETS.loadMs }),
  );
  const warnings = expiredEntries(config.suppressions ?? [], Date.now()).map(
    (entry) => `suppression ${entry.id} (${args.config}) expired at ${entry.expires}: it silences nothing newer; remove it or move its expiry (owner ${entry.owner})`,
  );
  const report = buildTestReport(run.rules, run.results, run.coverage, warnings);
  out.write(args.format === 'json' ? formatJson(report) : formatText(report));
  return report;
}

async function readTestedConfig(configPath: string): Promise<TestedConfig> {
  const parsed = ConfigRuleOptions.safeParse(await readConfigModule(resolve(configPath)));
  if (!parsed.success) throw new ConfigError(`${configPath}: invalid rules.options or suppressions:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
