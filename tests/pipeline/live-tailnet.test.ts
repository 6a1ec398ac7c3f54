// Each source's `tailnet` reaches its events: the same record from two tailnets gives two alerts with their own ids,
// dedup and watermarks, also after a restart (the journal replays under the same source names).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Config } from '../../engine/config/schema.ts';
import { accepted } from '../../engine/decode/results.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { sourceTailnets } from '../../engine/sources/create-sources.ts';
import type { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import { openDatabase } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';
import { auditRecord } from '../rules/events.ts';
import { snapshotState, startPipeline } from '../support/live-pipeline.ts';

let dir: string;
const open: { pipeline: LivePipeline; db: Database }[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-tailnet-'));
});
afterEach(async () => {
  for (const { pipeline, db } of open.splice(0)) {
    await pipeline.close();
    db.close();
  }
  await rm(dir, { recursive: true, force: true });
});

const config = Config.parse({
  sources: [
    { kind: 'hec', name: 'acme', tailnet: 'acme.example', tokens: [{ env: 'A' }] },
    { kind: 'file', paths: ['./logs'], tailnet: 'globex.example' },
    { kind: 'stdin' },
  ],
  destinations: { archive: { kind: 'file', path: './a.ndjson' } },
  defaultRoute: ['archive'],
});

describe('tailnets of sources', () => {
  it('maps each source name to its tailnet, "default" when none is given, and refuses a malformed name', () => {
    expect(sourceTailnets(config.sources)).toEqual(new Map([['acme', 'acme.example'], ['file', 'globex.example'], ['stdin', 'default']]));
    const bad = Config.safeParse({ sources: [{ kind: 'stdin', tailnet: 'two words' }], destinations: {}, defaultRoute: [] });
    expect(bad.success).toBe(false);
  });

  it('gives the same record from two tailnets two alerts, with their tailnet in the alert and in the id', async () => {
    const tailnets = sourceTailnets(config.sources);
    const start = async () => {
      const db = openDatabase(dir);
      const pipeline = await startPipeline({
        dataDir: dir,
        db,
        ruleIds: ['Tailscale.Magic.DNS.Disabled'],
        route: () => ['archive'],
        tailnetOf: (source) => tailnets.get(source) ?? 'default',
      });
      open.push({ pipeline, db });
      return { db, pipeline };
    };
    const record = accepted(auditRecord(1, { target: { id: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' } }), { source: 'x', line: 1, offset: 0 });
    const first = await start();
    for (const source of ['acme', 'file']) await first.pipeline.handle({ source, records: [record], checkpoints: [], receivedAtMs: Date.now() });
    const alerts = listPending(first.db).map((row) => row.alert);
    expect(alerts.map((a) => a.tailnet).sort()).toEqual(['acme.example', 'globex.example']);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(2);
    // A restart replays the journal under the same names: the same alerts, none enqueued twice.
    const second = await start();
    expect(listPending(second.db).map((row) => row.alert.alertId).sort()).toEqual(alerts.map((a) => a.alertId).sort());
    const { watermarks } = await snapshotState(second.pipeline, second.db);
    expect(watermarks.map(([tailnet]) => tailnet).sort()).toEqual(['acme.example', 'globex.example']);
  });
});
