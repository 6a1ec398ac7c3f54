// `tailwatch alerts list`: the durable alert history that `tailwatch run` keeps (every revision, final forms),
// read from the terminal with filters, beside the delivery queue (`tailwatch alerts deliveries`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { accepted } from '../../engine/decode/results.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { startPipeline } from '../support/live-pipeline.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
let config: string;

const record = (eventTime: string, property: string, group: string, action = 'DISABLE') => ({
  eventTime,
  eventGroupID: group,
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uAlice', type: 'USER', loginName: 'alice@example.com' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property },
  action,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-history-'));
  const dataDir = join(dir, 'data');
  const db = openDatabase(dataDir);
  const pipeline = await startPipeline({ dataDir, db, ruleIds: ['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled'] });
  const batch = (records: Record<string, unknown>[], tailnet: string) =>
    pipeline.handle({
      source: tailnet,
      records: records.map((r, i) => accepted(r, { source: tailnet, line: i + 1, offset: i })),
      checkpoints: [],
      receivedAtMs: Date.parse('2026-06-05T00:00:00Z'),
    });
  try {
    // Two Magic DNS disables in one window (revision 2 once the window settles), an HTTPS one a day later.
    await batch([record('2026-06-03T10:00:00Z', 'MAGIC_DNS', 'g1'), record('2026-06-03T10:20:00Z', 'MAGIC_DNS', 'g2')], 'default');
    await batch([record('2026-06-03T11:30:00Z', 'DNS', 'g3', 'UPDATE')], 'default');
    await batch([record('2026-06-04T09:00:00Z', 'HTTPS', 'g4')], 'default');
  } finally {
    await pipeline.close();
    db.close();
  }
  config = join(dir, 'alerts.config.json');
  await writeFile(config, JSON.stringify({ dataDir: join(dir, 'data'), destinations: { console: { kind: 'stdout' } }, defaultRoute: ['console'] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function list(...args: string[]): Promise<Alert[]> {
  const result = await runCli(['alerts', 'list', '--format', 'json', '--config', config, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Alert);
}

describe('tailwatch alerts list', () => {
  it('shows each alert once, in its latest revision, newest first', async () => {
    const alerts = await list();
    expect(alerts.map((a) => [a.ruleId, a.revision, a.eventCount])).toEqual([
      ['Tailscale.HTTPS.Disabled', 1, 1],
      ['Tailscale.Magic.DNS.Disabled', 2, 2],
    ]);
  });

  it('shows every revision with --revisions', async () => {
    const alerts = await list('--revisions', '--rule', 'Tailscale.Magic.*');
    expect(alerts.map((a) => [a.revision, a.eventCount])).toEqual([[2, 2], [1, 1]]);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
  });

  it('filters by rule (id or glob), severity, tailnet and time', async () => {
    expect((await list('--rule', 'Tailscale.HTTPS.Disabled')).map((a) => a.ruleId)).toEqual(['Tailscale.HTTPS.Disabled']);
    expect((await list('--rule', '*dns*')).map((a) => a.ruleId)).toEqual(['Tailscale.Magic.DNS.Disabled']);
    expect(await list('--min-severity', 'CRITICAL')).toEqual([]);
    expect(await list('--tailnet', 'corp.example')).toEqual([]);
    expect((await list('--from', '2026-06-04')).map((a) => a.ruleId)).toEqual(['Tailscale.HTTPS.Disabled']);
    expect((await list('--to', '2026-06-04')).map((a) => a.ruleId)).toEqual(['Tailscale.Magic.DNS.Disabled']);
    expect((await list('--limit', '1')).length).toBe(1);
  });

  it('prints a table by default, and keeps the delivery queue under `deliveries`', async () => {
    const table = await runCli(['alerts', '--config', config]);
    expect(table.stdout.split('\n')[0]).toMatch(/^SEVERITY\s+EVENTS\s+FIRST EVENT\s+RULE\s+TITLE/);
    expect(table.stdout).toContain('(revision 2, ');
    const queue = await runCli(['alerts', 'deliveries', '--config', config]);
    expect(queue.stdout).toContain('0 pending deliveries');
  });
});
