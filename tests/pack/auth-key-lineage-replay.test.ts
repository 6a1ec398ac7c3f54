// Tailscale.Correlation.Auth.Key.Lineage through the real `tailwatch replay`, on a planted stream with the whole pack:
// a reusable key from the day before → node → eleven peers, and a pre-authorised key → node → an exit node that only
// the recorded inventory can name (the exit node logs the client's IP). Around them: a single-use key's node that
// fans out, a reusable key's node that reaches too few peers, and an old node that uses the exit node.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

type Json = Record<string, unknown>;

const RULE = 'Tailscale.Correlation.Auth.Key.Lineage';
const at = (minute: number) => new Date(Date.parse('2026-09-01T10:00:00Z') + minute * 60_000).toISOString();
const person = (name: string) => ({ id: `u${name}CNTRL`, type: 'USER', loginName: `${name.toLowerCase()}@example.com`, displayName: name });
const audit = (time: string, actor: string, target: Json, extra: Json = {}): Json => ({
  logged: time, eventTime: time, eventGroupID: `eg${time}${String(target.id)}`, origin: 'ADMIN_CONSOLE', actor: person(actor), target, action: 'CREATE', ...extra,
});
const key = (time: string, actor: string, id: string, capabilities: string[]) => audit(time, actor, { id, name: 'Auth key', type: 'API_KEY' }, { new: { capabilities } });
const node = (minute: number, actor: string, id: string) => audit(at(minute), actor, { id, name: `${id}.example.ts.net`, type: 'NODE' }, { origin: 'NODE' });
const record = (minute: number, nodeId: string, traffic: Json): Json => ({
  nodeId, start: at(minute), end: new Date(Date.parse(at(minute)) + 5000).toISOString(), logged: new Date(Date.parse(at(minute)) + 6000).toISOString(), ...traffic,
});
const peers = (minute: number, nodeId: string, first: number, count: number) => record(minute, nodeId, {
  virtualTraffic: Array.from({ length: count }, (_, i) => ({ proto: 6, src: `100.64.7.${first}:${40000 + i}`, dst: `100.64.3.${first + i}:443`, txBytes: 600 })),
});
const EXIT_NODE = { nodeId: 'nExitCNTRL', name: 'exit-fra.example.ts.net', addresses: ['100.64.9.1'], tags: ['tag:exit'] };
/** Logged by the exit node: the client is only its source IP. */
const viaExit = (minute: number, clientIp: string) => record(minute, 'nExitCNTRL', {
  srcNode: EXIT_NODE, exitTraffic: [{ proto: 6, src: `${clientIp}:52000`, dst: '203.0.113.50:443', txBytes: 9000 }],
});

const STREAM: Json[] = [
  key('2026-08-31T16:00:00.000Z', 'Mallory', 'kReuseCNTRL', []),
  key(at(0), 'Bob', 'kPreauthCNTRL', ['ONE_OFF_NODE_AUTH', 'PREAUTHORIZED']),
  key(at(0), 'Alice', 'kOnceCNTRL', ['ONE_OFF_NODE_AUTH']),
  key(at(1), 'Carol', 'kFewCNTRL', []),
  node(2, 'Mallory', 'nRogueCNTRL'),
  node(2, 'Bob', 'nKioskCNTRL'),
  node(3, 'Alice', 'nBuildCNTRL'),
  node(3, 'Carol', 'nLabCNTRL'),
  viaExit(4, '100.64.1.1'), // the old laptop, known to the inventory, not new
  peers(5, 'nBuildCNTRL', 1, 15),
  viaExit(6, '100.64.8.8'), // the kiosk
  peers(8, 'nLabCNTRL', 1, 9),
  peers(10, 'nRogueCNTRL', 1, 6),
  peers(12, 'nRogueCNTRL', 7, 5),
  // Later traffic carries the audit and flow watermarks past every step.
  node(90, 'Alice', 'nLaterCNTRL'),
  peers(90, 'nBuildCNTRL', 1, 1),
];
const INVENTORY = [
  { id: 'nKioskCNTRL', name: 'kiosk.example.ts.net', addresses: ['100.64.8.8'], user: 'bob@example.com' },
  { id: 'nLaptopCNTRL', name: 'laptop.example.ts.net', addresses: ['100.64.1.1'], user: 'dan@example.com', created: '2026-01-05T09:00:00Z' },
].map((record) => ({ tailnet: 'default', kind: 'node', id: record.id, validFrom: 0, learnedAt: 0, origin: 'poll', record }));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-lineage-'));
  await writeFile(join(dir, 'stream.ndjson'), STREAM.map((line) => JSON.stringify(line)).join('\n') + '\n');
  await writeFile(join(dir, 'inventory.ndjson'), INVENTORY.map((line) => JSON.stringify(line)).join('\n') + '\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lineageAlerts(...extra: string[]): Promise<Json[]> {
  const replay = await runCli(['replay', '--format', 'json', '--rules', 'rules', ...extra, join(dir, 'stream.ndjson')]);
  expect(replay.code, replay.stderr).toBe(0);
  return replay.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Json).filter((alert) => alert.ruleId === RULE);
}

describe(`${RULE} in tailwatch replay`, () => {
  it('alerts on both planted chains with the recorded inventory, at the event time of their last step', async () => {
    const alerts = (await lineageAlerts('--inventory', join(dir, 'inventory.ndjson'))).sort((a, b) => String(a.dedup).localeCompare(String(b.dedup)));
    expect(alerts.map((alert) => [alert.dedup, alert.firstEventTime])).toEqual([
      ['node:nKioskCNTRL', at(6)],
      ['node:nRogueCNTRL', at(12)],
    ]);
    expect(alerts[0]).toMatchObject({
      title: 'Tailscale: new node nKioskCNTRL joined with reusable or pre-authorised auth key kPreauthCNTRL of uBobCNTRL and used an exit node within 30 minutes',
      severity: 'HIGH',
      alertContext: { authKey: 'kPreauthCNTRL', owner: 'uBobCNTRL', chain: [{ ruleId: 'Tailscale.Auth.Key.Created' }, { ruleId: 'Tailscale.Node.Created' }, { ruleId: 'Tailscale.Node.Exit.Used' }] },
    });
    expect(alerts[1]).toMatchObject({ alertContext: { authKey: 'kReuseCNTRL', activity: 'Tailscale: nRogueCNTRL.example.ts.net reached 11 peers within 30 minutes' } });
  });

  it('without inventory cannot name the exit node’s client, and still finds the fan-out', async () => {
    expect((await lineageAlerts()).map((alert) => alert.dedup)).toEqual(['node:nRogueCNTRL']);
  });
});
