// The "Time budget" section of docs/rules.md: where rule code runs and what happens to a rule that never returns
// (engine/workers, engine/rules/base/rule-calls.ts).
import { DEFAULT_RULE_BUDGETS } from '../config/rules-config.ts';

export function timeBudgetSection(): string {
  return `## Time budget: a rule cannot hang the evaluator

Rule code runs in worker threads under a watchdog, never on the thread that answers HTTP: \`tailwatch run\`
evaluates in one evaluation worker, and \`tailwatch replay\`, \`tailwatch test\` and the vitest run of inline
tests (\`describeRuleFileTests\`) each run theirs in a worker too. Every call of a rule function (\`rule\`, \`title\`,
\`contributions\`, \`value\`, a correlation's keys…) marks itself in memory the watchdog reads; JavaScript cannot
interrupt a synchronous loop from its own thread, so a call still running after its budget gets the worker
terminated.

- **\`rules.timeBudgetMs\`** (default ${DEFAULT_RULE_BUDGETS.callMs}) bounds one call. **\`rules.loadBudgetMs\`**
  (default ${DEFAULT_RULE_BUDGETS.loadMs}) bounds importing one rule module (its top level), at start-up and at a hot reload.
- **In \`run\`**, a rule that overruns is disabled until its file changes or tailwatch restarts. It raises one
  \`RULE_ERROR\` alert naming the rule and the budget (error \`TimeBudgetExceeded\`), \`/readyz\` fails its
  \`rules\` check with the rule's name, and \`tailwatch_rule_timeouts_total{rule_id}\` counts it. A new worker is
  brought back to the durable state (the last snapshot, then the journal) and evaluates the batch again without the
  rule, so no other rule loses an event and nothing is sent twice. Recovery after a crash stops a looping rule the
  same way: it cannot crash-loop.
- **A module that does not load in time** fails the load: at start-up tailwatch exits naming the file; at a hot
  reload the new modules are imported in a throwaway worker first, so the rules in force keep running.
- **In \`replay\` and \`test\`** an overrun depends on the machine, not the data, so it is not an alert. The rule
  fails with a message naming it and the budget, and the exit code is 1. \`replay\` starts over without the rule
  (stdin is spooled to a temporary file so it can be read again) and writes only what it had not written: the
  alerts written are those of a replay without the rule (plus any the rule wrote before it was stopped). \`test\`
  fails the test that overran and skips the rule's remaining tests; every other rule's tests run.
- **In cluster mode** (docs/cluster.md) a node evaluates all the partitions it holds in one watched worker, each
  with its own state. A rule that overruns is stopped on that node (until its file changes or a restart; \`/readyz\`
  and \`tailwatch_rule_timeouts_total\` say so, and a log line, but no \`RULE_ERROR\` alert is published). The
  worker's partitions are given up and taken again from their snapshots by a new worker without the rule: the
  alerts stream's de-duplication keeps what is evaluated again from being delivered twice.
- Rule options cross to the worker as plain data (structured clone), and module-level caches (for example the
  label cache in \`engine/pack/flow-fields.ts\`) are per worker.
`;
}
