// A live pipeline on a temp data directory, as `tailwatch run` builds it, for the console's storage tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepted } from '../../../engine/decode/results.ts';
import type { LivePipeline } from '../../../engine/pipeline/live/live-pipeline.ts';
import { openDatabase, type Database } from '../../../engine/state/database.ts';
import { startPipeline } from '../../support/live-pipeline.ts';

export interface PipelineDir {
  dir: string;
  /** A pipeline after a (re)start: start() has run. */
  start: () => Promise<{ pipeline: LivePipeline; db: Database }>;
  /** Stops the pipelines' workers, closes their databases and deletes the directory. */
  remove: () => Promise<void>;
}

export function pipelineDir(ruleIds: string[]): PipelineDir {
  const dir = mkdtempSync(join(tmpdir(), 'tailwatch-console-'));
  const open: Database[] = [];
  const running: LivePipeline[] = [];
  return {
    dir,
    start: async () => {
      const db = openDatabase(dir);
      open.push(db);
      const pipeline = await startPipeline({ dataDir: dir, db, ruleIds, route: () => ['archive'] });
      running.push(pipeline);
      return { pipeline, db };
    },
    remove: async () => {
      for (const pipeline of running.splice(0)) await pipeline.close();
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
