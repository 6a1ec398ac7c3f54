// Imports a rule set in a throwaway worker thread, under the watchdog's load budget, before anything depends on it,
// and reports the rules as data.
import type { MessagePort } from 'node:worker_threads';
import type { RulesConfig } from '../config/rules-config.ts';
import { ruleInfo } from '../rules/rule-info.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { runWorkerJob } from './worker-side.ts';

await runWorkerJob<{ rules: RulesConfig }>(async ({ rules }, port: MessagePort) => {
  port.postMessage((await loadRuleSet(rules)).map(ruleInfo));
});
