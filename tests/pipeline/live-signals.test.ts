// Signals in the live pipeline: stored with their event in the batch's commit, never twice after a restart that
// replays the journal, pruned after signals.retentionDays, listed newest first with the history filters.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted } from '../../engine/decode/results.ts';
import type { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { signalHistory } from '../../engine/pipeline/live/signal-store.ts';
import { openDatabase } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';
import { auditRecord } from '../rules/events.ts';
import { startPipeline } from '../support/live-pipeline.ts';

let dir: string;
const open: Database[] = [];
const running: LivePipeline[] = [];
let nowMs = Date.parse('2026-06-03T16:00:00.000Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-signals-'));
});
afterEach(async () => {
  for (const pipeline of running.splice(0)) await pipeline.close();
  for (const db of open.splice(0)) db.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ pipeline: LivePipeline; db: Database }> {
  const db = openDatabase(dir);
  open.push(db);
  const pipeline = await startPipeline({ dataDir: dir, db, ruleIds: ['Tailscale.Node.Created', 'Tailscale.Auth.Key.Created'], now: () => nowMs, signalRetentionDays: 7 });
  running.push(pipeline);
  return { pipeline, db };
}

const node = (minute: number, id: string) => accepted(auditRecord(minute, { action: 'CREATE', target: { id, name: `${id}.example.ts.net`, type: 'NODE' } }), { source: 'a', line: minute, offset: minute });
const batch = (...records: ReturnType<typeof node>[]) => ({ source: 'hec', records, checkpoints: [], receivedAtMs: nowMs });
const stored = (db: Database, filter: Partial<Parameters<typeof signalHistory>[1]> = {}) =>
  [...signalHistory(db, { limit: 100, ...filter })].map((signal) => `${signal.ruleId} ${signal.eventTime} ${String((signal.event.event as { target: { id: string } }).target.id)}`);

describe('signals in tailwatch run', () => {
  it('are stored with their event, once, across a restart that replays the journal', async () => {
    const first = await start();
    await first.pipeline.handle(batch(node(0, 'nA'), node(5, 'nB')));
    await first.pipeline.close();
    first.db.close();
    open.splice(open.indexOf(first.db), 1);
    // No snapshot was taken: the restart evaluates the journal again and finds both signals already stored.
    const second = await start();
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
    const { pipeline, db } = await start();
    await pipeline.handle(batch(node(0, 'nA')));
    nowMs += 6 * 86_400_000;
    await pipeline.handle(batch(node(5, 'nB')));
    nowMs += 2 * 86_400_000;
    await pipeline.snapshot();
    expect(stored(db)).toEqual(['Tailscale.Node.Created 2026-06-03T15:05:00.000Z nB']);
  });
});
