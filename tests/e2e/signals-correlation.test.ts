// Signals and correlation rules in a real `tailwatch run` over HEC and in `tailwatch replay` on the same planted
// stream: the same alert ids (correlation alerts included, with their chains) and the same signals, which live
// evaluation stores (`tailwatch signals`) and counts (tailwatch_signals_total).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { hecBody, postHec } from './support/hec-client.ts';
import { scrape, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { HEC_TOKEN, WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Json = Record<string, unknown>;

// Live records are bounded by their receive time: the stream is dated two hours back from the test's start.
const BASE_MS = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
const at = (minutes: number) => new Date(BASE_MS + minutes * 60_000).toISOString();
const person = (name: string) => ({ id: `u${name}CNTRL`, type: 'USER', loginName: `${name.toLowerCase()}@example.com`, displayName: name });
const audit = (minutes: number, actor: string, target: Json, action: string, extra: Json = {}): Json => ({
  eventTime: at(minutes), eventGroupID: `eg${minutes}${actor}`, origin: 'ADMIN_CONSOLE', actor: person(actor), target, action, ...extra,
});
const flow = (minutes: number, node: string, hosts: number): Json => ({
  nodeId: node,
  start: new Date(Date.parse(at(minutes)) - 5000).toISOString(),
  end: at(minutes),
  logged: new Date(Date.parse(at(minutes)) + 1000).toISOString(),
  virtualTraffic: Array.from({ length: hosts }, (_, i) => ({ proto: 6, src: `100.64.7.7:${40000 + i}`, dst: `100.64.3.${i + 1}:22`, txPkts: 12, txBytes: 2400 })),
});
/** Names its node (as streamed records do): live, which keeps an inventory, has nothing to fill in that replay lacks. */
const exitFlow = (minutes: number, node: string): Json => ({
  ...flow(minutes, node, 0),
  virtualTraffic: undefined,
  srcNode: { nodeId: node, name: 'rogue.example.ts.net', addresses: ['100.64.7.7'] },
  exitTraffic: [{ proto: 6, src: '100.64.7.7:52000', dst: '203.0.113.50:443', txPkts: 40, txBytes: 9000 }],
});

/**
 * Two incidents (a new admin turns off flow logging; a pre-authorised key → node → SSH fan-out and exit-node use) and
 * traffic carrying both watermarks past them.
 */
const stream: Json[][] = [
  [
    audit(0, 'Alice', { id: 'uBobCNTRL', name: 'bob@example.com', type: 'USER', property: 'USER_ROLE' }, 'UPDATE', { old: 'member', new: 'admin' }),
    audit(1, 'Mallory', { id: 'kNewCNTRL', name: 'Auth key', type: 'API_KEY' }, 'CREATE', { new: { capabilities: ['PREAUTHORIZED'] } }),
    flow(1, 'nOldCNTRL', 1),
  ],
  [
    audit(3, 'Mallory', { id: 'nRogueCNTRL', name: 'rogue.example.ts.net', type: 'NODE' }, 'CREATE'),
    audit(20, 'Bob', { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' }, 'DISABLE'),
  ],
  [flow(8, 'nRogueCNTRL', 6), flow(10, 'nRogueCNTRL', 10), flow(12, 'nOldCNTRL', 2), exitFlow(14, 'nRogueCNTRL')],
  [audit(45, 'Alice', { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' }, 'UPDATE'), flow(45, 'nOldCNTRL', 1)],
  [audit(90, 'Alice', { id: 'uDanCNTRL', type: 'USER' }, 'LOGIN'), flow(90, 'nOldCNTRL', 1)],
];
const CORRELATIONS = ['Tailscale.Correlation.Admin.Grant.Then.Logging.Off', 'Tailscale.Correlation.Auth.Key.Lineage', 'Tailscale.Correlation.Auth.Key.Node.Fanout'];
const SIGNALS = ['Tailscale.Auth.Key.Created', 'Tailscale.Node.Created', 'Tailscale.Node.Exit.Used'];

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess | undefined;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url });
});

afterAll(async () => {
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

const lines = (text: string): Json[] => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Json);
const key = (alert: Json) => `${String(alert.ruleId)} | ${String(alert.dedup)} | ${String(alert.alertId)}`;

describe('signals and correlation rules: replay = live', () => {
  it('gives the same alerts and signals over HEC as in a replay of the same stream', async () => {
    const file = join(workspace.dir, 'stream.ndjson');
    await writeFile(file, stream.flat().map((record) => JSON.stringify(record)).join('\n') + '\n');
    const replay = await runCli(['replay', '--format', 'json', '--signals', '--rules', workspace.rulesDir, file]);
    expect(replay.code, replay.stderr).toBe(0);
    const replayed = lines(replay.stdout);
    const replayAlerts = replayed.filter((line) => line.type !== 'SIGNAL');
    const replaySignals = replayed.filter((line) => line.type === 'SIGNAL');
    expect(replayAlerts.map((alert) => String(alert.ruleId)).filter((id) => id.includes('Correlation')).sort()).toEqual(CORRELATIONS);
    expect(replaySignals.map((signal) => String(signal.ruleId)).sort()).toEqual(SIGNALS);
    expect(replay.stderr).toContain('signals: 3 (Tailscale.Auth.Key.Created=1 Tailscale.Node.Created=1 Tailscale.Node.Exit.Used=1)');

    tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
    for (const batch of stream) expect((await postHec(tailwatch.baseUrl, hecBody(batch), { token: HEC_TOKEN })).status).toBe(200);
    await waitFor(() => receiver.alerts().length >= replayAlerts.length, `${replayAlerts.length} alerts at the webhook`, 60_000);
    const { samples } = await scrape(tailwatch.baseUrl);
    expect(valueOf(samples, 'tailwatch_signals_total', { rule_id: 'Tailscale.Node.Created' })).toBe(1);
    expect(await tailwatch.stop()).toEqual({ code: 0, signal: null });

    expect(receiver.alerts().map(key).sort()).toEqual(replayAlerts.map(key).sort());
    const chain = receiver.alerts().find((alert) => alert.ruleId === 'Tailscale.Correlation.Auth.Key.Node.Fanout')?.alertContext as Json;
    expect(chain.chain).toMatchObject([
      { ruleId: 'Tailscale.Auth.Key.Created', eventTime: at(1), keys: { user: 'uMalloryCNTRL' } },
      { ruleId: 'Tailscale.Node.Created', eventTime: at(3), keys: { node: 'nRogueCNTRL' } },
      { ruleId: 'Tailscale.SSH.Fanout', keys: { node: 'nRogueCNTRL' } },
    ]);
    const lineage = receiver.alerts().find((alert) => alert.ruleId === 'Tailscale.Correlation.Auth.Key.Lineage');
    expect(lineage).toMatchObject({ firstEventTime: at(14), alertContext: { authKey: 'kNewCNTRL', owner: 'uMalloryCNTRL' } });
    expect((lineage?.alertContext as Json).chain).toMatchObject([{ eventTime: at(1) }, { eventTime: at(3) }, { ruleId: 'Tailscale.Node.Exit.Used', eventTime: at(14) }]);

    const stored = await runCli(['signals', '--format', 'json', '--config', workspace.configPath]);
    expect(stored.code, stored.stderr).toBe(0);
    const signals = lines(stored.stdout);
    expect(signals.map((signal) => signal.signalId).sort()).toEqual(replaySignals.map((signal) => signal.signalId).sort());
    expect(signals.find((signal) => signal.ruleId === 'Tailscale.Node.Created')?.event).toMatchObject({ event: { target: { id: 'nRogueCNTRL' } } });
  }, 90_000);
});
