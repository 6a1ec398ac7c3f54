// Imports a rule set in a throwaway worker thread, under the watchdog's load budget, before anything depends on it.
import { loadRuleSet } from '../rules/rule-set.ts';
import type { RulesConfig } from '../config/rules-config.ts';
import { runWorkerJob } from './worker-side.ts';

await runWorkerJob<{ rules: RulesConfig }>(async ({ rules }) => {
  await loadRuleSet(rules);
});
