// stdout as other tools read it: a reader closing early (`| head`) ends the command quietly with status 0, and
// `replay --format json --deliver` keeps stdout pure NDJSON even with a stdout destination.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAlert } from '../../engine/destinations/send-test.ts';
import { enqueue } from '../../engine/destinations/outbox.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { CLI, runCli } from '../support/run-cli.ts';

const RULES = resolve(import.meta.dirname, '../../rules');
const MANY = 3000;
const FEW = 20;
let dir: string;
let config: string;

/** Runs the CLI with its stdout read like `| head -1`: the pipe is closed after the first line. */
function headOne(args: string[], stdin = ''): Promise<{ code: number | null; signal: NodeJS.Signals | null; firstLine: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  let firstLine = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (firstLine === '' && out.includes('\n')) {
      firstLine = out.slice(0, out.indexOf('\n'));
      child.stdout.destroy();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, firstLine, stderr })));
}

function magicDnsEvents(count: number): string {
  const lines = [];
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify({
      eventTime: new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString(),
      eventGroupID: `g${i}`,
      origin: 'ADMIN_CONSOLE',
      actor: { id: `u${i}`, type: 'USER', loginName: `user${i}@example.com`, displayName: `User ${i}` },
      target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
      action: 'DISABLE',
    }));
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-pipes-'));
  config = join(dir, 'alerts.config.json');
  await writeFile(config, JSON.stringify({
    dataDir: join(dir, 'data'),
    rules: { dir: RULES },
    destinations: { console: { kind: 'stdout', format: 'text' }, soar: { kind: 'webhook', url: 'http://127.0.0.1:9/hook' } },
    defaultRoute: ['console'],
  }));
  const db = openDatabase(join(dir, 'data'));
  for (let i = 0; i < MANY; i++) enqueue(db, { ...sampleAlert(), alertId: `pending-${i}` }, ['soar']);
  db.close();
  await writeFile(join(dir, 'alerts.ndjson'), Array.from({ length: MANY }, (_, i) => JSON.stringify({ ...sampleAlert(), alertId: `a${i}` })).join('\n'));
  await writeFile(join(dir, 'events.ndjson'), magicDnsEvents(MANY));
  await writeFile(join(dir, 'few-events.ndjson'), magicDnsEvents(FEW));
  await writeFile(join(dir, 'deliver.config.json'), JSON.stringify({
    dataDir: join(dir, 'deliver-data'),
    rules: { dir: RULES },
    destinations: { console: { kind: 'stdout', format: 'text' } },
    defaultRoute: ['console'],
  }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a reader that closes stdout early', () => {
  it.each([
    ['route', ['route', 'alerts.ndjson', '--explain', '--config', 'alerts.config.json']],
    ['alerts', ['alerts', '--config', 'alerts.config.json']],
    ['replay', ['replay', 'events.ndjson', '--format', 'json', '--config', 'alerts.config.json']],
  ])('tailwatch %s | head -1 exits quietly with status 0', async (_name, args) => {
    const result = await headOne(args);
    expect(result.firstLine).not.toBe('');
    expect(result.stderr).not.toMatch(/EPIPE|Error|at .*\.ts:\d+/);
    expect(result).toMatchObject({ code: 0, signal: null });
  });
});

describe('replay --format json --deliver', () => {
  it('keeps stdout pure NDJSON alerts; a stdout destination writes to stderr', async () => {
    const result = await runCli(['replay', 'few-events.ndjson', '--format', 'json', '--deliver', '--config', 'deliver.config.json'], { cwd: dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(FEW);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ ruleId: 'Tailscale.Magic.DNS.Disabled' });
    expect(result.stderr).toContain('HIGH     Tailscale.Magic.DNS.Disabled');
    expect(result.stderr).toContain(`delivered: ${FEW}`);
  });
});
