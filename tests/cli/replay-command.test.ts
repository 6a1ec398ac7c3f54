// `tailwatch replay` as users run it: the real CLI in a child process on real files (corpus, compressed, malformed).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const CORPUS = 'fixtures/corpus';

function audit(property: string, eventTime: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventTime,
    eventGroupID: `g-${property}-${eventTime}`,
    origin: 'ADMIN_CONSOLE',
    actor: { id: 'uAlice', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property },
    action: 'DISABLE',
    ...extra,
  });
}

interface AlertLine {
  alertId: string;
  type: string;
  ruleId: string;
  severity: string;
  title: string;
  dedup: string;
  eventCount: number;
  firstEventTime: string;
  lastEventTime: string;
  logTypes: string[];
  alertContext: Record<string, unknown>;
}

function alertsOf(stdout: string): AlertLine[] {
  return stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as AlertLine);
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tailwatch-replay-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('tailwatch replay', () => {
  it.each([
    ['hec-stream-body.txt', 'Tailscale.Network=1 Tailscale.Audit=1'],
    ['api-audit-record.json', 'Tailscale.Audit=1'],
    ['api-network-record.json', 'Tailscale.Network=1'],
    ['s3-export-audit.ndjson', 'Tailscale.Audit=20'],
    ['s3-export-network.ndjson', 'Tailscale.Network=1'],
    ['redacted-network-record.json', 'Tailscale.Network=1'],
    ['datadog-samples.ndjson', 'Tailscale.Audit=3 Tailscale.Network=1'],
  ])('reads corpus file %s without a reject', async (file, parsed) => {
    const result = await runCli(['replay', join(CORPUS, file), '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`events parsed: ${parsed}`);
    expect(result.stderr).toContain('records rejected: 0');
  });

  it('prints every alert as one NDJSON line with the contract fields', async () => {
    const result = await runCli(['replay', join(CORPUS, 's3-export-audit.ndjson'), '--format', 'json']);
    const alerts = alertsOf(result.stdout);
    expect(alerts.map((a) => a.ruleId)).toEqual(['Tailscale.LogStream.Endpoint.Deleted', 'Tailscale.LogStream.Endpoint.Deleted']);
    for (const alert of alerts) {
      expect(alert).toMatchObject({ type: 'RULE', eventCount: 1, logTypes: ['Tailscale.Audit'] });
      expect(alert.alertId).toMatch(/^[0-9a-f]{32}$/);
      expect(alert.firstEventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(alert.lastEventTime).toBe(alert.firstEventTime);
      expect(typeof alert.title).toBe('string');
      expect(typeof alert.dedup).toBe('string');
      expect(typeof alert.alertContext).toBe('object');
    }
    expect(result.stderr).toContain('alerts: 2 (RULE=2)');
  });

  it('rejects each malformed record alone, names its line, keeps it in --rejects, and alerts on the good ones', async () => {
    const input = join(tmp, 'mixed.ndjson');
    const rejects = join(tmp, 'rejects.ndjson');
    await writeFile(
      input,
      [
        audit('MAGIC_DNS', '2026-01-05T10:00:00Z'),
        '{"broken": ',
        '"just a string"',
        '{"not":"tailscale"}',
        audit('HTTPS', '2026-01-05T10:01:00Z'),
        `${'['.repeat(200)}${']'.repeat(200)}`,
        '',
      ].join('\n'),
    );
    const result = await runCli(['replay', input, '--format', 'json', '--rejects', rejects]);
    expect(result.code).toBe(0);
    expect(alertsOf(result.stdout).map((a) => a.ruleId).sort()).toEqual(['Tailscale.HTTPS.Disabled', 'Tailscale.Magic.DNS.Disabled']);
    for (const line of [2, 3, 4, 6]) expect(result.stderr).toContain(`${input}:${line}:`);
    const kept = (await readFile(rejects, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { line: number; reason: string; raw: string });
    expect(kept.map((r) => [r.line, r.reason])).toEqual([
      [2, 'invalid_json'],
      [3, 'not_an_object'],
      [4, 'unknown_log_type'],
      [6, 'too_deep'],
    ]);
    expect(kept[0]?.raw).toContain('{"broken"');
    expect(result.stderr).toMatch(/records rejected: 4 \(/);
  });

  it('keeps a good record that directly follows a truncated one', async () => {
    const input = join(tmp, 'truncated-then-good.ndjson');
    await writeFile(input, `{"eventTime": "2026-01-05T09:59:00Z", "actor": \n${audit('HTTPS', '2026-01-05T10:01:00Z')}\n`);
    const result = await runCli(['replay', input, '--format', 'json']);
    expect(alertsOf(result.stdout).map((a) => a.ruleId)).toEqual(['Tailscale.HTTPS.Disabled']);
    expect(result.stderr).toContain(`rejected (invalid_json): ${input}:1:`);
  });

  it('gives the same alerts for gzip, zstd and plain copies, and for stdin', async () => {
    const body = `${audit('MAGIC_DNS', '2026-01-05T10:00:00Z')}\n${audit('MACHINE_APPROVAL_NEEDED', '2026-01-05T10:02:00Z')}\n`;
    await writeFile(join(tmp, 'plain.log'), body);
    await writeFile(join(tmp, 'gz.log'), gzipSync(body));
    await writeFile(join(tmp, 'zst.log'), zstdCompressSync(body));
    const plain = alertsOf((await runCli(['replay', join(tmp, 'plain.log'), '--format', 'json'])).stdout);
    expect(plain).toHaveLength(2);
    for (const name of ['gz.log', 'zst.log']) {
      expect(alertsOf((await runCli(['replay', join(tmp, name), '--format', 'json'])).stdout)).toEqual(plain);
    }
    expect(alertsOf((await runCli(['replay', '-', '--format', 'json'], { stdin: body })).stdout)).toEqual(plain);
  });

  it('gives the same alerts when the input is split across files', async () => {
    const lines = ['MAGIC_DNS', 'MAGIC_DNS', 'HTTPS', 'MAGIC_DNS'].map((p, i) => audit(p, `2026-01-05T10:0${i}:00Z`));
    await writeFile(join(tmp, 'whole.ndjson'), `${lines.join('\n')}\n`);
    await writeFile(join(tmp, 'part1.ndjson'), `${lines.slice(0, 2).join('\n')}\n`);
    await writeFile(join(tmp, 'part2.ndjson'), `${lines.slice(2).join('\n')}\n`);
    const whole = alertsOf((await runCli(['replay', join(tmp, 'whole.ndjson'), '--format', 'json'])).stdout);
    const split = alertsOf((await runCli(['replay', join(tmp, 'part1.ndjson'), join(tmp, 'part2.ndjson'), '--format', 'json'])).stdout);
    expect(split).toEqual(whole);
    expect(whole.find((a) => a.ruleId === 'Tailscale.Magic.DNS.Disabled')?.eventCount).toBe(3);
  });

  it('filters by --rule and by event time with --from/--to', async () => {
    const input = join(tmp, 'times.ndjson');
    await writeFile(input, `${audit('MAGIC_DNS', '2026-01-05T09:00:00Z')}\n${audit('HTTPS', '2026-01-06T09:00:00Z')}\n`);
    const byRule = await runCli(['replay', input, '--format', 'json', '--rule', 'Tailscale.HTTPS.Disabled']);
    expect(alertsOf(byRule.stdout).map((a) => a.ruleId)).toEqual(['Tailscale.HTTPS.Disabled']);
    const byTime = await runCli(['replay', input, '--format', 'json', '--from', '2026-01-06', '--to', '2026-01-07T00:00:00Z']);
    expect(alertsOf(byTime.stdout).map((a) => a.ruleId)).toEqual(['Tailscale.HTTPS.Disabled']);
    expect(byTime.stderr).toContain('events outside --from/--to: 1');
  });

  it('prints a readable table with --format text', async () => {
    const result = await runCli(['replay', join(CORPUS, 's3-export-audit.ndjson'), '--format', 'text']);
    const [header, ...rows] = result.stdout.trim().split('\n');
    expect(header).toMatch(/^SEVERITY\s+EVENTS\s+FIRST EVENT\s+RULE\s+TITLE$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^HIGH\s+1\s+2026-07-27T12:10:27\.726Z\s+Tailscale\.LogStream\.Endpoint\.Deleted\s+\S/);
  });

  it('exits non-zero when a file cannot be read, after reading the others', async () => {
    const result = await runCli(['replay', join(tmp, 'missing.ndjson'), join(CORPUS, 'api-audit-record.json'), '--format', 'json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(tmp, 'missing.ndjson')}: cannot read (ENOENT)`);
  });

  it('exits non-zero, naming the file, when a rule fails to load', async () => {
    const rules = join(tmp, 'broken-rules');
    await (await import('node:fs/promises')).mkdir(rules, { recursive: true });
    await writeFile(join(rules, 'broken.ts'), 'export default { this is not typescript');
    const result = await runCli(['replay', join(CORPUS, 'api-audit-record.json'), '--rules', rules]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.ts');
  });
});
