// `tailwatch replay --workers N` with real worker threads: byte for byte the output of `--workers 1` (alerts and
// signals on stdout, the summary on stderr) on a generated stream of every delivery shape with planted incidents,
// disorder and malformed records, read from several files; the property test beside this one covers generated streams.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStream } from '../../bench/generate-stream.ts';
import { runCli } from '../support/run-cli.ts';

const PACK = resolve(import.meta.dirname, '../../rules');
const START_MS = Date.parse('2026-03-02T08:00:00.000Z');

let dir: string;

type Json = Record<string, unknown>;
const at = (minutes: number) => new Date(START_MS + minutes * 60_000).toISOString();
const person = (name: string) => ({ id: `u${name}CNTRL`, type: 'USER', loginName: `${name.toLowerCase()}@example.com`, displayName: name });
const audit = (minutes: number, actor: string, target: Json, action: string, extra: Json = {}): Json => ({
  eventTime: at(minutes), eventGroupID: `eg${minutes}${actor}`, origin: 'ADMIN_CONSOLE', actor: person(actor), target, action, ...extra,
});
const fanout = (minutes: number, node: string, hosts: number): Json => ({
  nodeId: node, start: at(minutes - 1 / 12), end: at(minutes), logged: at(minutes + 1 / 60),
  virtualTraffic: Array.from({ length: hosts }, (_, i) => ({ proto: 6, src: `100.64.7.7:${40000 + i}`, dst: `100.64.3.${i + 1}:22`, txPkts: 12, txBytes: 2400 })),
});

/** A new admin turns flow logging off; a pre-authorised key, a node by its creator, SSH fan-out from it; a late copy. */
const incidents: Json[] = [
  audit(1, 'Alice', { id: 'uBobCNTRL', name: 'bob@example.com', type: 'USER', property: 'USER_ROLE' }, 'UPDATE', { old: 'member', new: 'admin' }),
  audit(2, 'Mallory', { id: 'kNewCNTRL', name: 'Auth key', type: 'API_KEY' }, 'CREATE', { new: { capabilities: ['PREAUTHORIZED', 'REUSABLE'] } }),
  audit(4, 'Mallory', { id: 'nRogueCNTRL', name: 'rogue.example.ts.net', type: 'NODE' }, 'CREATE'),
  fanout(9, 'nRogueCNTRL', 12),
  audit(20, 'Bob', { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' }, 'DISABLE'),
  audit(30, 'Alice', { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' }, 'DISABLE'),
  audit(3, 'Alice', { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' }, 'DISABLE'),
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-workers-'));
  const stream = [...generateStream({ records: 4000, seed: 11, startMs: START_MS, auditShare: 0.05, actors: 4, nanosecondTimes: true })];
  await writeFile(join(dir, 'a-stream.log'), stream.slice(0, 2000).join('\n'));
  await writeFile(join(dir, 'b-incidents.ndjson'), [...incidents.map((record) => JSON.stringify(record)), '{"eventTime": "broken'].join('\n'));
  await writeFile(join(dir, 'c-stream.log'), stream.slice(2000).join('\n'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** p_row_id is random per process (engine/schemas/row-id.ts): the one field of a signal's event that may differ. */
const withoutRowIds = (text: string) => text.replaceAll(/"p_row_id":"\w+"/g, '"p_row_id":""');

describe('replay --workers N', () => {
  it('writes byte for byte what --workers 1 writes, for 2 and 3 workers', async () => {
    const replay = (workers: string) => runCli(['replay', dir, '--rules', PACK, '--format', 'json', '--signals', '--workers', workers]);
    const one = await replay('1');
    expect(one.code, one.stderr).toBe(0);
    const lines = one.stdout.trim().split('\n').map((line) => JSON.parse(line) as Json);
    // The incidents alert, correlate and record signals: the comparison is not of empty output.
    expect(lines.filter((line) => line.type !== 'SIGNAL').map((line) => line.ruleId)).toEqual(
      expect.arrayContaining(['Tailscale.Correlation.Admin.Grant.Then.Logging.Off', 'Tailscale.Correlation.Auth.Key.Node.Fanout', 'Tailscale.Magic.DNS.Disabled']),
    );
    expect(lines.some((line) => line.type === 'SIGNAL')).toBe(true);
    expect(one.stderr).toContain('records rejected: 1');
    for (const workers of ['2', '3']) {
      const many = await replay(workers);
      expect(many.code, many.stderr).toBe(0);
      expect(withoutRowIds(many.stdout)).toBe(withoutRowIds(one.stdout));
      expect(many.stderr).toBe(one.stderr);
    }
  });

  it('prints the same table with --format text', async () => {
    const replay = (workers: string) => runCli(['replay', dir, '--rules', PACK, '--format', 'text', '--workers', workers]);
    const [one, two] = await Promise.all([replay('1'), replay('2')]);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout.split('\n').length).toBeGreaterThan(3);
  });

  it('refuses a worker count that is not a whole number from 1 to 64', async () => {
    const result = await runCli(['replay', dir, '--rules', PACK, '--workers', '0']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--workers must be a whole number from 1 to 64, got 0');
  });
});
