// Event time in the live batch handler: the receive time bounds event times and is p_parse_time, also when start()
// evaluates the journal again after a crash; an implausible record is quarantined and never moves the watermark.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted } from '../../engine/decode/results.ts';
import type { DecodeResult } from '../../engine/decode/types.ts';
import type { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { Quarantine } from '../../engine/pipeline/live/quarantine.ts';
import { openDatabase } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';
import { snapshotState, startPipeline } from '../support/live-pipeline.ts';

const RECEIVED_MS = Date.parse('2026-08-10T09:10:00.000Z');

let dir: string;
const open: Database[] = [];
const running: LivePipeline[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-live-time-'));
});
afterEach(async () => {
  for (const pipeline of running.splice(0)) await pipeline.close();
  for (const db of open.splice(0)) db.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ pipeline: LivePipeline; db: Database }> {
  const db = openDatabase(dir);
  open.push(db);
  const pipeline = await startPipeline({ dataDir: dir, db, rulesDir: 'fixtures/time/rules' });
  running.push(pipeline);
  return { pipeline, db };
}

const batch = (records: DecodeResult[]) => ({ source: 'hec', records, checkpoints: [], receivedAtMs: RECEIVED_MS });
const position = (line: number) => ({ source: 'hec:1', line, offset: line * 100 });
const envelope = (line: number, time: number, actor: string) =>
  accepted({ time, event: { action: 'CREATE', actor: { id: actor, type: 'USER' }, target: { id: 't', type: 'NODE' } } }, position(line));

describe('LivePipeline: event time', () => {
  it('parses the journal again with each batch’s receive time: start() rebuilds the same alerts', async () => {
    const first = await start();
    await first.pipeline.handle(batch([envelope(1, Date.parse('2026-08-10T09:09:00Z') / 1000, 'uAlice')]));
    // The restart replays the journal; only then does a snapshot (which drops the journal) read the first one's state.
    const second = await start();
    const restored = await snapshotState(second.pipeline, second.db);
    const state = await snapshotState(first.pipeline, first.db);
    expect(JSON.stringify(state)).toContain('"parseTime":"2026-08-10T09:10:00.000Z"');
    expect(restored).toEqual(state);
  });

  it('quarantines a record dated past the receive time or before 2019; the watermark stays where it was', async () => {
    const { pipeline, db } = await start();
    await pipeline.handle(batch([envelope(1, Date.parse('2026-08-10T09:09:00Z') / 1000, 'uAlice')]));
    const watermark = (await snapshotState(pipeline, db)).watermarks;
    const outcome = await pipeline.handle(batch([
      envelope(2, 8_000_000_000_000, 'uMallory'),
      envelope(3, Date.parse('2026-08-10T09:15:00.001Z') / 1000, 'uMallory'),
      envelope(4, Date.parse('2018-12-31T23:59:59Z') / 1000, 'uMallory'),
    ]));
    expect(outcome).toEqual({ accepted: 0, rejected: 3 });
    expect((await snapshotState(pipeline, db)).watermarks).toEqual(watermark);
    const quarantined = new Quarantine(db).list(10);
    expect(quarantined.map((entry) => [entry.line, entry.reason])).toEqual([[4, 'time_out_of_range'], [3, 'time_out_of_range'], [2, 'time_out_of_range']]);
  });
});
