// The pack's silence rule on a planted day of flow logs, live and replayed: live polls the API stand-in's devices
// (connectedToControl) and evaluates the stream in batches through the real pipeline; `tailwatch replay` of the same
// NDJSON with the exported inventory gives the same one alert (web-1, regular and online, silent after 22:00), and
// nothing for db-1 (offline), the laptop (irregular) or ci-1 (reporting to the end).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { accepted } from '../../engine/decode/results.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { writeInventoryFile } from '../../engine/inventory/export-file.ts';
import { alertSummary, liveInventory, STAND_IN_TOKEN } from '../support/live-inventory.ts';
import { runCli } from '../support/run-cli.ts';
import { startTailscaleApiStandIn } from '../support/tailscale-api-stand-in.ts';
import type { TailscaleApiStandIn } from '../support/tailscale-api-stand-in.ts';

const RULE = 'Tailscale.Node.Flow.Logs.Silent';
const DAY_MS = Date.parse('2026-08-10T00:00:00Z');
const at = (minute: number, seconds = 0) => new Date(DAY_MS + minute * 60_000 + seconds * 1000).toISOString();
const flow = (nodeId: string, minute: number) => ({
  logged: at(minute, 7), nodeId, start: at(minute), end: at(minute, 5),
  virtualTraffic: [{ proto: 6, src: '100.64.0.7:443', dst: '100.64.0.9:50000', txBytes: 10 }],
});
const every5 = (nodeId: string, fromMinute: number, toMinute: number) =>
  Array.from({ length: Math.floor((toMinute - fromMinute) / 5) + 1 }, (_, i) => flow(nodeId, fromMinute + i * 5));
const STREAM = [
  ...every5('nWeb1CNTRL', 0, 22 * 60), ...every5('nDb1CNTRL', 0, 22 * 60), ...every5('nLaptopCNTRL', 9 * 60, 12 * 60), ...every5('nCi1CNTRL', 0, 24 * 60 - 5),
].sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0));

const device = (nodeId: string, name: string, connectedToControl: boolean) => ({
  nodeId, name, hostname: name.split('.')[0], user: 'alice@example.com', tags: ['tag:prod'], created: '2026-08-01T00:00:00Z', authorized: true, connectedToControl,
});
const DEVICES = [
  device('nWeb1CNTRL', 'web-1.example.ts.net', true), device('nDb1CNTRL', 'db-1.example.ts.net', false),
  device('nLaptopCNTRL', 'laptop.example.ts.net', true), device('nCi1CNTRL', 'ci-1.example.ts.net', true),
];

let dir: string;
let standIn: TailscaleApiStandIn;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-silence-'));
  standIn = await startTailscaleApiStandIn({ tokens: { [STAND_IN_TOKEN]: ['all:read'] } });
  standIn.setInventory({ devices: DEVICES, users: [], keys: [], policy: {} });
});
afterEach(async () => {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a node that stops reporting flow logs while online', () => {
  it('raises the same one alert live and in `tailwatch replay` with the exported inventory', async () => {
    const live = await liveInventory({ dataDir: join(dir, 'data'), ruleIds: [RULE], standInUrl: standIn.url, tailnet: 'default', now: () => DAY_MS });
    await live.poller.poll(AbortSignal.timeout(5000));
    // Batches of 40 records, each received a minute after its last record's time.
    for (let i = 0; i < STREAM.length; i += 40) {
      const batch = STREAM.slice(i, i + 40);
      const records = batch.map((value, line) => accepted(value, { source: 'live', line: i + line + 1, offset: 0 }));
      await live.pipeline.handle({ source: 'live', records, checkpoints: [], receivedAtMs: Date.parse(batch[batch.length - 1]!.end) + 60_000 });
    }
    const alerts = listPending(live.db).map((row) => row.alert);
    const exported = join(dir, 'inventory.ndjson');
    writeInventoryFile(live.store, exported);
    await live.close();

    expect(alerts.map((a) => a.title)).toEqual(['Tailscale node web-1.example.ts.net (alice@example.com; tag:prod) sent no flow logs for 60 minutes while online']);
    expect(alerts[0]).toMatchObject({ dedup: 'nWeb1CNTRL', firstEventTime: '2026-08-10T23:01:00.000Z' });
    expect(alerts[0]?.alertContext).toMatchObject({ silentSince: '2026-08-10T22:01:00.000Z', reportingWindows: 23, windows: 24, owner: 'alice@example.com' });

    const logs = join(dir, 'flows.ndjson');
    await writeFile(logs, `${STREAM.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const cli = await runCli(['replay', logs, '--inventory', exported, '--rules', resolve('rules'), '--rule', RULE, '--format', 'json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(alertSummary(cli.stdout.trim().split('\n').map((line) => JSON.parse(line) as Alert))).toEqual(alertSummary(alerts));
    // Without the inventory, nothing says the node is online: no alert.
    const bare = await runCli(['replay', logs, '--rules', resolve('rules'), '--rule', RULE, '--format', 'json']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout.trim()).toBe('');
  });
});
