// The worker thread that evaluates for `tailwatch run`: the rules, the evaluator with all its state, and the
// inventory tracker live here, so every rule call runs under the watchdog (engine/workers). The main thread sends
// it parsed events; requests are answered one after another, in the order they were sent. Cluster mode keeps one
// evaluator per partition here, each with its own state.
import type { MessagePort } from 'node:worker_threads';
import { TailwatchError } from '../errors.ts';
import { openInventoryReader } from '../inventory/reader.ts';
import { InventoryStore } from '../inventory/store.ts';
import { InventoryTracker } from '../inventory/tracker.ts';
import { compileMetadata } from '../rules/base/compiled-metadata.ts';
import { ruleErrorMatch } from '../rules/base/match-checks.ts';
import { Evaluator } from '../rules/evaluator.ts';
import type { EvaluationResult, EvaluatorOptions } from '../rules/evaluator.ts';
import type { Suppression } from '../suppressions/suppression.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import { ruleInfo } from '../rules/rule-info.ts';
import type { RuleInfo } from '../rules/rule-info.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { suppressionList } from '../suppressions/suppression-list.ts';
import type { SuppressionEntry } from '../suppressions/suppression-entry.ts';
import { openDatabase } from '../state/database.ts';
import { runWorkerJob } from './worker-side.ts';
import type { BatchChanges, EvaluationJob, EvaluationMessage, EvaluationRequest, MatchCounts } from './evaluation-messages.ts';

await runWorkerJob<EvaluationJob>(async (job, port: MessagePort) => {
  const post = (message: EvaluationMessage) => port.postMessage(message);
  const db = openDatabase(job.dataDir);
  const { reader } = openInventoryReader(job.dataDir);
  let counts = noCounts();
  // One tracker for every partition: its stream positions are per tailnet, as partitions are.
  const tracker = new InventoryTracker(new InventoryStore(db), reader);
  const options: EvaluatorOptions = {
    allowedLatenessMinutes: job.allowedLatenessMinutes,
    inventory: tracker,
    onMatch: (match, late) => {
      const { ruleId, suppressed } = match.alert;
      count(match.alert.type === 'RULE' ? counts.matches : counts.errors, ruleId);
      if (late) count(counts.late, ruleId);
      if (suppressed !== undefined) count(counts.suppressed, suppressed.id);
    },
    onLateEvent: (event) => count(counts.lateEvents, event.p_source_id),
  };
  let loaded: LoadedRule[] = [];
  let running: LoadedRule[] = [];
  let suppressions: Suppression[] = [];
  const evaluators = new Map<string, Evaluator>();
  const evaluatorOf = (partition: string): Evaluator => {
    let evaluator = evaluators.get(partition);
    if (evaluator === undefined) {
      evaluator = new Evaluator(running, options);
      evaluator.setSuppressions(suppressions);
      evaluators.set(partition, evaluator);
    }
    return evaluator;
  };
  const setRules = async (rules: EvaluationJob['rules'], stopped: readonly string[]): Promise<RuleInfo[]> => {
    const next = await loadRuleSet(rules);
    const disabled = new Set(stopped);
    const nextRunning = next.map((rule) => (disabled.has(rule.rule.id) ? { ...rule, rule: { ...rule.rule, enabled: false } } : rule));
    for (const evaluator of evaluators.values()) evaluator.setRules(nextRunning);
    loaded = next;
    running = nextRunning;
    return next.map(ruleInfo);
  };
  const setSuppressions = (entries: SuppressionEntry[]) => {
    suppressions = suppressionList({ suppressions: entries }, db);
    for (const evaluator of evaluators.values()) evaluator.setSuppressions(suppressions);
  };
  const progress = new Int32Array(job.progress);

  const answer = async (request: EvaluationRequest): Promise<unknown> => {
    switch (request.op) {
      case 'process': {
        counts = noCounts();
        const changes: BatchChanges = { created: [], signals: [], events: [], matched: [], counts };
        const evaluator = evaluatorOf(request.partition);
        request.events.forEach(({ event, eventTimeMs }, index) => {
          progress[0] = index;
          collect(changes, evaluator.process(event, eventTimeMs));
        });
        return changes;
      }
      case 'exportState':
        return evaluatorOf(request.partition).exportState();
      case 'restoreState':
        evaluatorOf(request.partition).restoreState(request.state);
        return undefined;
      case 'reset':
        evaluatorOf(request.partition).reset();
        return undefined;
      case 'drop':
        evaluators.delete(request.partition);
        return undefined;
      case 'setRules':
        return setRules(request.rules, request.stopped);
      case 'setSuppressions':
        setSuppressions(request.suppressions);
        return undefined;
      case 'learnPolled':
        return tracker.learnPolled(request.tailnet, request.changes);
      case 'recordStopped': {
        const found = loaded.find((l) => l.rule.id === request.ruleId);
        if (found === undefined) return noChanges();
        counts = noCounts();
        const { event, eventTimeMs } = request.event;
        const error = new TailwatchError('RULE_TIME_BUDGET', `ran longer than its time budget of ${request.budgetMs} ms (rules.timeBudgetMs); disabled until its file changes or tailwatch restarts`);
        error.name = 'TimeBudgetExceeded';
        const match = ruleErrorMatch(compileMetadata(found.rule, found.options), event, eventTimeMs, 'timeBudget', error);
        const changes: BatchChanges = { created: [], signals: [], events: [], matched: [], counts };
        collect(changes, evaluatorOf(request.partition).recordRuleError(match, event));
        return changes;
      }
    }
  };

  post({ type: 'ready', rules: await setRules(job.rules, job.stopped) });
  setSuppressions(job.suppressions);
  // One request at a time, in order: a snapshot's state is exactly what the batches before it made.
  let queue = Promise.resolve();
  port.on('message', (message: { id: number } & EvaluationRequest) => {
    queue = queue.then(async () => {
      try {
        post({ type: 'reply', id: message.id, value: await answer(message) });
      } catch (error) {
        post({ type: 'error', id: message.id, code: error instanceof TailwatchError ? error.code : 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
});

function noCounts(): MatchCounts {
  return { matches: {}, errors: {}, late: {}, suppressed: {}, lateEvents: {} };
}

function noChanges(): BatchChanges {
  return { created: [], signals: [], events: [], matched: [], counts: noCounts() };
}

function collect(changes: BatchChanges, result: EvaluationResult): void {
  if (result.created.length > 0) changes.created.push(...result.created);
  if (result.revised.length > 0) changes.created.push(...result.revised);
  if (result.signals.length > 0) changes.signals.push(...result.signals);
  if (result.events.length > 0) changes.events.push(...result.events);
  if (result.matched.length > 0) changes.matched.push(...result.matched);
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
