// The worker thread that runs rules' inline tests (for `tailwatch test` and describeRuleFileTests), posting each
// result as it is known: rule code runs only here, under the watchdog.
import type { MessagePort } from 'node:worker_threads';
import { applyRuleOptions } from '../rules/load-rules.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { runWorkerJob } from '../workers/worker-side.ts';
import { runRuleTest } from './rule-test-runner.ts';
import type { RuleTestsJob, RuleTestsMessage } from './rule-tests-messages.ts';
import { checkTestCoverage } from './test-coverage.ts';
import { compileTestFilter } from './test-filter.ts';

await runWorkerJob<RuleTestsJob>(async (job, port: MessagePort) => {
  const post = (message: RuleTestsMessage) => port.postMessage(message);
  const loaded = await loadRuleSet({ dir: job.dir, options: {}, overrides: {} });
  applyRuleOptions(loaded, job.overrides, true);
  const filter = job.filter === undefined ? undefined : compileTestFilter(job.filter);
  const done = new Set(job.done);
  for (const { rule } of loaded) {
    if (done.has(rule.id)) continue;
    const wholeRule = filter === undefined || filter(rule.id);
    const keep = (test: { name: string }): boolean => wholeRule || filter?.(test.name) === true;
    if (!wholeRule && !(rule.tests ?? []).some(keep)) continue;
    const tests = (rule.tests ?? []).filter(keep);
    post({ type: 'rule', ruleId: rule.id, tests: tests.length });
    const options = job.overrides[rule.id];
    const opts = { ...(options === undefined ? {} : { options }), rules: loaded };
    for (const test of tests) {
      post({ type: 'test', name: test.name });
      post({ type: 'result', result: runRuleTest(rule, test, opts) });
    }
    const problem = job.minTests > 0 ? checkTestCoverage(rule, job.minTests) : undefined;
    if (problem !== undefined) post({ type: 'coverage', problem });
    post({ type: 'rule-done', ruleId: rule.id });
  }
  post({ type: 'done' });
});
