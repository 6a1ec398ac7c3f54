// Event time in the live batch handler: the receive time bounds event times and is p_parse_time, also when recover()
// evaluates the journal again after a crash; an implausible record is quarantined and never moves the watermark.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted } from '../../engine/decode/results.ts';
import type { DecodeResult } from '../../engine/decode/types.ts';
import { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { Quarantine } from '../../engine/pipeline/live/quarantine.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import { CheckpointStore } from '../../engine/sources/checkpoints.ts';
import { openDatabase } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';

const RECEIVED_MS = Date.parse('2026-08-10T09:10:00.000Z');

let dir: string;
let rules: LoadedRule[];
const open: Database[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-live-time-'));
  rules = await loadRules('fixtures/time/rules');
});
afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  await rm(dir, { recursive: true, force: true });
});

function start(): LivePipeline {
  const db = openDatabase(dir);
  open.push(db);
  const pipeline = new LivePipeline({ db, checkpoints: new CheckpointStore(db), evaluator: new Evaluator(rules), route: () => [] });
  pipeline.recover();
  return pipeline;
}

const batch = (records: DecodeResult[]) => ({ source: 'hec', records, checkpoints: [], receivedAtMs: RECEIVED_MS });
const position = (line: number) => ({ source: 'hec:1', line, offset: line * 100 });
const envelope = (line: number, time: number, actor: string) =>
  accepted({ time, event: { action: 'CREATE', actor: { id: actor, type: 'USER' }, target: { id: 't', type: 'NODE' } } }, position(line));

describe('LivePipeline: event time', () => {
  it('parses the journal again with each batch’s receive time: recover() rebuilds the same alerts', async () => {
    const first = start();
    await first.handle(batch([envelope(1, Date.parse('2026-08-10T09:09:00Z') / 1000, 'uAlice')]));
    const state = first.evaluator.exportState();
    expect(JSON.stringify(state)).toContain('"parseTime":"2026-08-10T09:10:00.000Z"');
    expect(start().evaluator.exportState()).toEqual(state);
  });

  it('quarantines a record dated past the receive time or before 2019; the watermark stays where it was', async () => {
    const pipeline = start();
    await pipeline.handle(batch([envelope(1, Date.parse('2026-08-10T09:09:00Z') / 1000, 'uAlice')]));
    const watermark = pipeline.evaluator.exportState().watermarks;
    const outcome = await pipeline.handle(batch([
      envelope(2, 8_000_000_000_000, 'uMallory'),
      envelope(3, Date.parse('2026-08-10T09:15:00.001Z') / 1000, 'uMallory'),
      envelope(4, Date.parse('2018-12-31T23:59:59Z') / 1000, 'uMallory'),
    ]));
    expect(outcome).toEqual({ accepted: 0, rejected: 3 });
    expect(pipeline.evaluator.exportState().watermarks).toEqual(watermark);
    const quarantined = new Quarantine(open[0]!).list(10);
    expect(quarantined.map((entry) => [entry.line, entry.reason])).toEqual([[4, 'time_out_of_range'], [3, 'time_out_of_range'], [2, 'time_out_of_range']]);
  });
});
