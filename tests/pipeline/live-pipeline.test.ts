// The live batch handler on a real SQLite file: one commit per batch, and a restart (snapshot + journal) that neither
// loses an alert nor enqueues one twice.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, rejected } from '../../engine/decode/results.ts';
import type { DecodeResult } from '../../engine/decode/types.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import type { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { QUARANTINE_MAX_ROWS, Quarantine } from '../../engine/pipeline/live/quarantine.ts';
import { CheckpointStore } from '../../engine/sources/checkpoints.ts';
import { openDatabase } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';
import { auditRecord } from '../rules/events.ts';
import { runCli } from '../support/run-cli.ts';
import { snapshotState, startPipeline } from '../support/live-pipeline.ts';

const RULE_IDS = ['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled'];

let dir: string;
const open: Database[] = [];
const running: LivePipeline[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-live-'));
});
afterEach(async () => {
  for (const pipeline of running.splice(0)) await pipeline.close();
  for (const db of open.splice(0)) db.close();
  await rm(dir, { recursive: true, force: true });
});

/** A pipeline on the data directory, as `tailwatch run` builds it after a (re)start. */
async function start(options: Partial<Parameters<typeof startPipeline>[0]> = {}): Promise<{ pipeline: LivePipeline; db: Database; checkpoints: CheckpointStore }> {
  const db = openDatabase(dir);
  open.push(db);
  const checkpoints = new CheckpointStore(db);
  const pipeline = await startPipeline({ dataDir: dir, db, checkpoints, ruleIds: RULE_IDS, route: () => ['archive'], ...options });
  running.push(pipeline);
  return { pipeline, db, checkpoints };
}

/** The match counts of the open alert windows. */
const windowCounts = async ({ pipeline, db }: { pipeline: LivePipeline; db: Database }) => (await snapshotState(pipeline, db)).alerts.windows.map((window) => window.matchCount);

function batch(records: DecodeResult[], offset: number) {
  return { source: 'file', records, checkpoints: [{ key: 'a.log', value: String(offset) }], receivedAtMs: Date.now() };
}

const at = (line: number) => ({ source: 'a.log', line, offset: line * 100 });
const good = (minute: number, property = 'MAGIC_DNS') => accepted(auditRecord(minute, { target: { id: 'example.com', type: 'TAILNET', property } }), at(minute));

describe('LivePipeline', () => {
  it('commits records, rejects, checkpoint and deliveries together, and reports the counts', async () => {
    const { pipeline, db, checkpoints } = await start();
    const bad = rejected('invalid_json', 'invalid JSON', at(2), '{"x":');
    const outcome = await pipeline.handle(batch([good(1), bad, accepted([1], at(3)), good(4, 'HTTPS')], 400));
    expect(outcome).toEqual({ accepted: 2, rejected: 2 });
    expect(checkpoints.get('file', 'a.log')).toBe('400');
    expect(listPending(db).map((row) => row.alert.ruleId).sort()).toEqual(['Tailscale.HTTPS.Disabled', 'Tailscale.Magic.DNS.Disabled']);
    expect(new Quarantine(db).list(10).map(({ line, reason, raw }) => ({ line, reason, raw }))).toEqual([
      { line: 3, reason: 'not_an_object', raw: '[1]' },
      { line: 2, reason: 'invalid_json', raw: '{"x":' },
    ]);
  });

  it('logs a flood of rejects as one line per source and reason, and keeps the quarantine bounded (oldest evicted, counted)', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const metrics = new Metrics({ processMetrics: false });
    const { pipeline, db } = await start({ route: () => [], logger, metrics });
    const flood = Array.from({ length: QUARANTINE_MAX_ROWS + 50 }, (_, i) => rejected('invalid_json', 'invalid JSON', at(i + 1), '{"x":'));
    const outcome = await pipeline.handle(batch([...flood, accepted([1], at(0))], 1));
    expect(outcome).toEqual({ accepted: 0, rejected: QUARANTINE_MAX_ROWS + 51 });
    expect(lines.map(({ msg, reason }) => ({ msg, reason }))).toEqual([
      { msg: 'record rejected', reason: 'invalid_json' },
      { msg: 'record rejected', reason: 'not_an_object' },
    ]);
    const newest = new Quarantine(db).list(QUARANTINE_MAX_ROWS + 100);
    expect(newest).toHaveLength(QUARANTINE_MAX_ROWS);
    expect(newest.at(-1)?.line).toBe(52);
    expect(await metrics.text()).toContain('tailwatch_quarantine_evicted_total 51');
  });

  it('`tailwatch quarantine` lists what was rejected, newest first, filtered by reason', async () => {
    const { pipeline } = await start();
    await pipeline.handle(batch([rejected('invalid_json', 'invalid JSON', at(2), '{"x":'), accepted('text', at(3))], 300));
    const config = join(dir, 'tailwatch.json');
    await writeFile(config, JSON.stringify({ dataDir: '.', destinations: { c: { kind: 'stdout' } }, defaultRoute: ['c'] }));
    const result = await runCli(['quarantine', '--config', config, '--reason', 'invalid_json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ source: 'a.log', line: 2, reason: 'invalid_json', message: 'a.log:2: invalid JSON', raw: '{"x":' })]);
  });

  it('after a crash, rebuilds dedup state from the journal: a later match joins the open alert, nothing is enqueued twice', async () => {
    const first = await start();
    await first.pipeline.handle(batch([good(1)], 100));
    // No snapshot, no clean stop: a new pipeline on the same files must come back to the same state.
    const second = await start();
    expect(listPending(second.db)).toHaveLength(1);
    await second.pipeline.handle(batch([good(5)], 200));
    expect(listPending(second.db)).toHaveLength(1);
    expect(await windowCounts(second)).toEqual([2]);
  });

  it('resumes from a snapshot plus the journal written after it', async () => {
    const first = await start();
    await first.pipeline.handle(batch([good(1)], 100));
    await first.pipeline.snapshot();
    await first.pipeline.handle(batch([good(2)], 200));
    expect(first.db.prepare('SELECT COUNT(*) AS n FROM journal').get()).toEqual({ n: 1 });
    const second = await start();
    expect(listPending(second.db)).toHaveLength(1);
    expect(await windowCounts(second)).toEqual([2]);
  });
});
