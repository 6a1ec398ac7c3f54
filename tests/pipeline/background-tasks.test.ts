// Timers of `tailwatch run` cannot end the process: a failing snapshot is logged with its cause, counted, shown in
// readiness, and retried; the next success clears it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundTasks } from '../../engine/pipeline/live/background-tasks.ts';
import type { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';
import { startPipeline } from '../support/live-pipeline.ts';
import { waitFor } from '../support/wait-for.ts';

let dir: string;
let db: Database;
const running: LivePipeline[] = [];
let lines: Record<string, unknown>[];
let metrics: Metrics;
let tasks: BackgroundTasks;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-tasks-'));
  db = openDatabase(dir);
  lines = [];
  metrics = new Metrics({ processMetrics: false });
  tasks = new BackgroundTasks(createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } }), metrics);
});
afterEach(async () => {
  for (const pipeline of running.splice(0)) await pipeline.close();
  tasks.close();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const failures = async (task: string) => (await metrics.text()).match(new RegExp(`tailwatch_background_task_failures_total\\{task="${task}"\\} (\\d+)`))?.[1];

describe('BackgroundTasks', () => {
  it('reports a failing snapshot (log, metric, readiness) instead of throwing, and clears it on the next success', async () => {
    const pipeline = await startPipeline({ dataDir: dir, db, ruleIds: [] });
    running.push(pipeline);
    db.exec("CREATE TEMP TRIGGER snapshot_full BEFORE INSERT ON main.snapshot BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
    expect(await tasks.run('snapshot', () => pipeline.snapshot())).toBe(false);
    expect(tasks.health()).toEqual({ ok: false, detail: expect.stringContaining('snapshot: database or disk is full') });
    expect(await failures('snapshot')).toBe('1');
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'background task failed; it will be retried', task: 'snapshot', error: 'database or disk is full' }));

    db.exec('DROP TRIGGER snapshot_full');
    expect(await tasks.run('snapshot', () => pipeline.snapshot())).toBe(true);
    expect(tasks.health()).toEqual({ ok: true });
  });

  it('keeps a repeating task going after it throws', async () => {
    let runs = 0;
    tasks.every('flaky', 5, () => {
      runs += 1;
      if (runs <= 2) throw new Error(`run ${runs} failed`);
    });
    await waitFor(() => runs >= 3 && tasks.health().ok, 'a successful third run');
    expect(await failures('flaky')).toBe('2');
  });
});
