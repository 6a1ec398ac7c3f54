// Rules' inline tests in a watched worker thread: a rule that never returns fails its test with a clear message
// (and its remaining tests are skipped) instead of hanging `tailwatch test` or CI; the other rules' tests still run.
import { DEFAULT_RULE_BUDGETS } from '../config/rules-config.ts';
import { loadOverrunError, WatchedWorker, workerScript } from '../workers/watched-worker.ts';
import type { Budgets } from '../workers/watched-worker.ts';
import type { RuleTestResult } from './rule-test-runner.ts';
import type { RuleTestsJob, RuleTestsMessage } from './rule-tests-messages.ts';
import type { CoverageProblem } from './test-coverage.ts';

export interface IsolatedTestRun {
  /** Rules whose tests ran (or were started). */
  rules: number;
  results: RuleTestResult[];
  coverage: CoverageProblem[];
}

export async function runRuleTestsIsolated(job: Omit<RuleTestsJob, 'done'>, budgets: Budgets = DEFAULT_RULE_BUDGETS): Promise<IsolatedTestRun> {
  const run: IsolatedTestRun = { rules: 0, results: [], coverage: [] };
  const done: string[] = [];
  let current: { ruleId: string; test: string | undefined; tests: number; started: number } | undefined;
  let finished = false;
  const onMessage = (message: RuleTestsMessage): void => {
    switch (message.type) {
      case 'rule':
        run.rules += 1;
        current = { ruleId: message.ruleId, test: undefined, tests: message.tests, started: 0 };
        return;
      case 'test':
        if (current === undefined) return;
        current.test = message.name;
        current.started += 1;
        return;
      case 'result':
        run.results.push(message.result);
        return;
      case 'coverage':
        run.coverage.push(message.problem);
        return;
      case 'rule-done':
        done.push(message.ruleId);
        current = undefined;
        return;
      case 'done':
        finished = true;
    }
  };
  while (!finished) {
    const worker = new WatchedWorker(workerScript(import.meta.url, 'rule-tests-worker'), (message) => onMessage(message as RuleTestsMessage));
    const end = await worker.start({ ...job, done: [...done] }, budgets);
    if (end.kind === 'failed') throw end.error;
    if (end.kind === 'exited') {
      if (!finished) throw new Error('the rule-tests worker ended without finishing');
      break;
    }
    const { overrun } = end;
    if (overrun.what === 'load') throw loadOverrunError(overrun);
    if (current === undefined) throw new Error(`rule ${overrun.ruleId} ran longer than its time budget of ${overrun.budgetMs} ms outside any test`);
    const who = overrun.ruleId === current.ruleId ? 'the rule' : `rule ${overrun.ruleId} (a step of this one)`;
    const skipped = current.started < current.tests ? `; its ${current.tests - current.started} remaining test(s) were not run` : '';
    run.results.push({
      ruleId: current.ruleId,
      name: current.test ?? '(loading)',
      passed: false,
      failures: [`${who} ran longer than its time budget of ${overrun.budgetMs} ms (rules.timeBudgetMs) and was stopped (a loop that never ends?)${skipped}`],
    });
    done.push(current.ruleId);
    current = undefined;
  }
  return run;
}
