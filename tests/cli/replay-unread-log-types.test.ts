// `tailwatch replay` pays only for the log types its loaded rules read: records of any other type are classified
// and counted, never validated, so a replay with only audit rules does not report malformed flow records.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

let dir: string;
let logs: string;

const audit = {
  eventTime: '2026-06-01T10:00:00Z',
  eventGroupID: 'g1',
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'u1', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
  action: 'DISABLE',
};
const flow = { nodeId: 'n1CNTRL', start: '2026-06-01T10:00:00Z', end: '2026-06-01T10:00:05Z', logged: '2026-06-01T10:00:06Z' };
const malformedFlow = { ...flow, virtualTraffic: 'not a list' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-unread-'));
  logs = join(dir, 'logs.ndjson');
  await writeFile(logs, `${[audit, flow, malformedFlow].map((r) => JSON.stringify(r)).join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('replay of a log type no loaded rule reads', () => {
  it('counts its records without validating them: no rejects', async () => {
    const result = await runCli(['replay', logs, '--format', 'json', '--rule', 'Tailscale.Magic.DNS.Disabled']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('not validated (no loaded rule reads them): Tailscale.Network=2');
    expect(result.stderr).toContain('records rejected: 0');
    expect(result.stderr).toContain('events parsed: Tailscale.Audit=1');
  });

  it('still validates it, and rejects the malformed record, once a rule reads it', async () => {
    const result = await runCli(['replay', logs, '--format', 'json', '--rule', 'Tailscale.Magic.DNS.Disabled', '--rule', 'Tailscale.Port.Scan']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('records rejected: 1 (schema_mismatch=1)');
    expect(result.stderr).not.toContain('not validated');
  });
});
