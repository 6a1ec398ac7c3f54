// `tailwatch replay` options as users type them: --rule globs like `test --filter`, a --from/--to range that cannot
// match anything, and a progress bar that never shares a terminal line with a table row.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/run-cli.ts';

/** What the progress bar writes to wipe its line. */
const ESC_CLEAR_LINE = '\u001b[K';
let dir: string;
let events: string;

function disabled(property: string, i: number): string {
  return JSON.stringify({
    eventTime: new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString(),
    eventGroupID: `g${property}${i}`,
    origin: 'ADMIN_CONSOLE',
    actor: { id: `u${i}`, type: 'USER', loginName: `user${i}@example.com`, displayName: `User ${i}` },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property },
    action: 'DISABLE',
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-replay-options-'));
  events = join(dir, 'events.ndjson');
  const lines = [];
  for (let i = 0; i < 3000; i++) lines.push(disabled(i % 2 === 0 ? 'MAGIC_DNS' : 'HTTPS', i));
  await writeFile(events, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('replay --rule', () => {
  it('takes globs, as test --filter does', async () => {
    const result = await runCli(['replay', events, '--format', 'json', '--rule', 'tailscale.magic.*']);
    expect(result.code).toBe(0);
    const ruleIds = new Set(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { ruleId: string }).ruleId));
    expect([...ruleIds]).toEqual(['Tailscale.Magic.DNS.Disabled']);
  });

  it('imports only the rule files it selects: a broken file elsewhere in the directory does not stop it', async () => {
    const rules = join(dir, 'rules');
    await mkdir(rules, { recursive: true });
    await writeFile(
      join(rules, 'magic-dns-disabled.ts'),
      "export default { kind: 'rule', id: 'Tailscale.Magic.DNS.Disabled', logTypes: ['Tailscale.Audit'], severity: 'HIGH', rule: (e) => e.event.target?.property === 'MAGIC_DNS' };\n",
    );
    await writeFile(join(rules, 'unfinished-rule.ts'), 'throw new Error("work in progress");\n');
    const result = await runCli(['replay', events, '--format', 'json', '--rules', rules, '--rule', 'Tailscale.Magic.DNS.Disabled']);
    expect(result.stderr).not.toContain('work in progress');
    expect(result.code).toBe(0);
    expect(new Set(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { ruleId: string }).ruleId))).toEqual(new Set(['Tailscale.Magic.DNS.Disabled']));
  });

  it('names a pattern that matches no rule', async () => {
    const result = await runCli(['replay', events, '--format', 'json', '--rule', 'Tailscale.Magic.*', '--rule', 'Tailscale.Magik.*']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--rule: no rule in');
    expect(result.stderr).toContain('matches Tailscale.Magik.*');
  });
});

describe('replay --from/--to', () => {
  it('refuses --from later than --to', async () => {
    const result = await runCli(['replay', events, '--format', 'json', '--from', '2026-06-02', '--to', '2026-06-01']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--from 2026-06-02 is not before --to 2026-06-01');
  });
});

describe('replay progress bar', () => {
  it('is wiped off its line before each table row when stdout and stderr share a terminal', async () => {
    const out = join(dir, 'terminal.txt');
    const fd = openSync(out, 'w');
    const child = spawn(process.execPath, [CLI, 'replay', events, '--format', 'text', '--progress'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', fd, fd],
    });
    const code = await new Promise((done) => child.on('close', done));
    closeSync(fd);
    expect(code).toBe(0);
    const screen = (await readFile(out, 'utf8')).split('\n').map((line) => line.slice(line.lastIndexOf('\r') + 1).replace(ESC_CLEAR_LINE, ''));
    const rows = screen.filter((line) => line.includes('Tailscale.Magic.DNS.Disabled'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => !row.startsWith('HIGH '))).toEqual([]);
    // The progress bar did draw (else this test would prove nothing).
    expect(await readFile(out, 'utf8')).toMatch(/\r\[#*\.*\] \d+%/);
  });
});
