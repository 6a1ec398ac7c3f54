// A LivePipeline on a data directory, as `tailwatch run` builds it after a (re)start: its evaluation worker opens the
// same directory, and start() brings it back to the durable state (snapshot, then journal). Close it when done.
import { DEFAULT_ALLOWED_LATENESS_MINUTES } from '../../engine/alerts/lateness.ts';
import { RulesConfig, ruleBudgets } from '../../engine/config/rules-config.ts';
import { EvaluatorHost } from '../../engine/workers/evaluator-host.ts';
import { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import type { LivePipelineOptions } from '../../engine/pipeline/live/live-pipeline.ts';
import { loadSnapshot } from '../../engine/pipeline/live/snapshot.ts';
import type { EvaluatorState } from '../../engine/rules/evaluator.ts';
import { PACK_DIR } from '../../engine/rules/pack-dir.ts';
import { CheckpointStore } from '../../engine/sources/checkpoints.ts';
import type { Database } from '../../engine/state/database.ts';

/** Pack rules by id, or every rule in a directory. */
export type PipelineRules = { ruleIds: string[] } | { rulesDir: string };

export type PipelineStart = PipelineRules &
  Omit<LivePipelineOptions, 'startEvaluator' | 'checkpoints' | 'route'> &
  Partial<Pick<LivePipelineOptions, 'checkpoints' | 'route'>> & {
    /** The directory `db` was opened on. */
    dataDir: string;
  };

/** The tests are not about budgets: a busy machine must not get a rule stopped or a load failed. */
const GENEROUS_BUDGET_MS = 60_000;

function pipelineRules(rules: PipelineRules): RulesConfig {
  const selection = 'ruleIds' in rules ? { dir: PACK_DIR, pack: { include: rules.ruleIds } } : { dir: rules.rulesDir };
  return RulesConfig.parse({ ...selection, timeBudgetMs: GENEROUS_BUDGET_MS, loadBudgetMs: GENEROUS_BUDGET_MS });
}

/** A started pipeline (checkpoints on `db`, routed nowhere unless `route` says otherwise). */
export async function startPipeline(options: PipelineStart): Promise<LivePipeline> {
  const { dataDir, ...rest } = options;
  const rules = pipelineRules(options);
  const pipeline = new LivePipeline({
    checkpoints: new CheckpointStore(options.db),
    route: () => [],
    ...rest,
    startEvaluator: (stopped) =>
      EvaluatorHost.start({ dataDir, rules, stopped, allowedLatenessMinutes: DEFAULT_ALLOWED_LATENESS_MINUTES, suppressions: [] }, ruleBudgets(rules)),
  });
  try {
    await pipeline.start();
  } catch (error) {
    await pipeline.close();
    throw error;
  }
  return pipeline;
}

/** The evaluator's state as a snapshot writes it (the snapshot also drops the journal it covers). */
export async function snapshotState(pipeline: LivePipeline, db: Database): Promise<EvaluatorState> {
  await pipeline.snapshot();
  const snapshot = loadSnapshot(db);
  if (snapshot === undefined) throw new Error('the snapshot was not written');
  return snapshot.state;
}
