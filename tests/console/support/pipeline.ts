// A live pipeline on a temp data directory, as `tailwatch run` builds it, for the console's storage tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepted } from '../../../engine/decode/results.ts';
import { LivePipeline, type LivePipelineOptions } from '../../../engine/pipeline/live/live-pipeline.ts';
import { Evaluator } from '../../../engine/rules/evaluator.ts';
import { loadRules } from '../../../engine/rules/load-rules.ts';
import { CheckpointStore } from '../../../engine/sources/checkpoints.ts';
import { openDatabase, type Database } from '../../../engine/state/database.ts';

export interface PipelineDir {
  dir: string;
  /** A pipeline after a (re)start: recover() has run. */
  start: () => Promise<{ pipeline: LivePipeline; db: Database }>;
  remove: () => void;
}

export interface PipelineDirOptions {
  /** Where the rules are loaded from (default the pack). */
  rulesDir?: string;
  pipeline?: Pick<LivePipelineOptions, 'now' | 'historyRetentionDays'>;
}

export function pipelineDir(ruleIds: string[], options: PipelineDirOptions = {}): PipelineDir {
  const dir = mkdtempSync(join(tmpdir(), 'tailwatch-console-'));
  const open: Database[] = [];
  return {
    dir,
    start: async () => {
      const db = openDatabase(dir);
      open.push(db);
      const rules = await loadRules(options.rulesDir ?? 'rules', { only: ruleIds });
      const pipeline = new LivePipeline({ db, checkpoints: new CheckpointStore(db), evaluator: new Evaluator(rules), route: () => ['archive'], ...options.pipeline });
      pipeline.recover();
      return { pipeline, db };
    },
    remove: () => {
      for (const db of open.splice(0)) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let line = 0;

/** One batch of API-shaped records from source "file". */
export function batchOf(records: Record<string, unknown>[]) {
  const first = line;
  line += records.length;
  return {
    source: 'file',
    records: records.map((record, i) => accepted(record, { source: 'a.log', line: first + i, offset: (first + i) * 100 })),
    checkpoints: [{ key: 'a.log', value: String(line) }],
    receivedAtMs: Date.now(),
  };
}
