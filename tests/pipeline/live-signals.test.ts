// Signals in the live pipeline: stored with their event in the batch's commit, never twice after a restart that
// replays the journal, pruned after signals.retentionDays, listed newest first with the history filters.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted } from '../../engine/decode/results.ts';
import { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { signalHistory } from '../../engine/pipeline/live/signal-store.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import { CheckpointStore } from '../../engine/sources/checkpoints.ts';
import { openDatabase } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';
import { auditRecord } from '../rules/events.ts';

let dir: string;
let rules: LoadedRule[];
const open: Database[] = [];
let nowMs = Date.parse('2026-06-03T16:00:00.000Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-signals-'));
  rules = await loadRules('rules', { only: ['Tailscale.Node.Created', 'Tailscale.Auth.Key.Created'] });
});
afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  await rm(dir, { recursive: true, force: true });
});

function start(): { pipeline: LivePipeline; db: Database } {
  const db = openDatabase(dir);
  open.push(db);
  const pipeline = new LivePipeline({ db, checkpoints: new CheckpointStore(db), evaluator: new Evaluator(rules), route: () => [], now: () => nowMs, signalRetentionDays: 7 });
  pipeline.recover();
  return { pipeline, db };
}

const node = (minute: number, id: string) => accepted(auditRecord(minute, { action: 'CREATE', target: { id, name: `${id}.example.ts.net`, type: 'NODE' } }), { source: 'a', line: minute, offset: minute });
const batch = (...records: ReturnType<typeof node>[]) => ({ source: 'hec', records, checkpoints: [], receivedAtMs: nowMs });
const stored = (db: Database, filter: Partial<Parameters<typeof signalHistory>[1]> = {}) =>
  [...signalHistory(db, { limit: 100, ...filter })].map((signal) => `${signal.ruleId} ${signal.eventTime} ${String((signal.event.event as { target: { id: string } }).target.id)}`);

describe('signals in tailwatch run', () => {
  it('are stored with their event, once, across a restart that replays the journal', async () => {
    const first = start();
    await first.pipeline.handle(batch(node(0, 'nA'), node(5, 'nB')));
    first.db.close();
    open.splice(open.indexOf(first.db), 1);
    // No snapshot was taken: the restart evaluates the journal again and finds both signals already stored.
    const second = start();
    await second.pipeline.handle(batch(node(10, 'nC')));
    expect(stored(second.db)).toEqual([
      'Tailscale.Node.Created 2026-06-03T15:10:00.000Z nC',
      'Tailscale.Node.Created 2026-06-03T15:05:00.000Z nB',
      'Tailscale.Node.Created 2026-06-03T15:00:00.000Z nA',
    ]);
    expect(stored(second.db, { rule: 'Tailscale.Node.*', fromMs: Date.parse('2026-06-03T15:05:00.000Z'), limit: 1 })).toEqual(['Tailscale.Node.Created 2026-06-03T15:10:00.000Z nC']);
    expect(stored(second.db, { rule: 'Tailscale.Auth.Key.Created' })).toEqual([]);
  });

  it('are pruned once older than the retention at a snapshot', async () => {
    const { pipeline, db } = start();
    await pipeline.handle(batch(node(0, 'nA')));
    nowMs += 6 * 86_400_000;
    await pipeline.handle(batch(node(5, 'nB')));
    nowMs += 2 * 86_400_000;
    pipeline.snapshot();
    expect(stored(db)).toEqual(['Tailscale.Node.Created 2026-06-03T15:05:00.000Z nB']);
  });
});
