// The journal is bounded by size as well as by time: once the records journaled since the last snapshot pass the
// size, a snapshot follows the batch, so the SQLite file does not grow with the load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted } from '../../engine/decode/results.ts';
import { BackgroundTasks } from '../../engine/pipeline/live/background-tasks.ts';
import type { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { SnapshotSchedule } from '../../engine/pipeline/live/snapshot-schedule.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';
import { auditRecord } from '../rules/events.ts';
import { startPipeline } from '../support/live-pipeline.ts';
import { waitFor } from '../support/wait-for.ts';

let dir: string;
let db: Database;
const running: LivePipeline[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-schedule-'));
  db = openDatabase(dir, { maxDatabaseMiB: 1 });
});
afterEach(async () => {
  for (const pipeline of running.splice(0)) await pipeline.close();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const journalRows = () => (db.prepare('SELECT COUNT(*) AS n FROM journal').get() as { n: number }).n;

describe('SnapshotSchedule', () => {
  it('snapshots once the journal passes a quarter of maxDatabaseMiB, so four times the bound fits in it', async () => {
    const pipeline = await startPipeline({ dataDir: dir, db, ruleIds: [] });
    running.push(pipeline);
    const tasks = new BackgroundTasks(createLogger({ destination: { write: () => undefined } }), new Metrics({ processMetrics: false }));
    const schedule = new SnapshotSchedule(pipeline, tasks, 1);
    const padding = 'p'.repeat(2000);
    // 40 batches of ~100 KB: four times the bound in all.
    for (let batch = 0; batch < 40; batch++) {
      const records = Array.from({ length: 50 }, (_, i) => accepted(auditRecord(batch, { eventGroupID: `${batch}-${i}-${padding}` }), { source: 'a', line: i, offset: 0 }));
      expect(await schedule.handle({ source: 'file', records, checkpoints: [], receivedAtMs: Date.now() })).toEqual({ accepted: 50, rejected: 0 });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => pipeline.journalBytes < 2 ** 20 / 4, 'a snapshot');
    expect(journalRows()).toBeLessThan(5);
    expect(tasks.health()).toEqual({ ok: true });
    tasks.close();
  });
});
