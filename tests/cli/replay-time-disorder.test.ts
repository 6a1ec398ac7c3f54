// The arrival-disorder failures found in a plain `tailwatch replay` (detection-correctness issue, §2), each through
// the real CLI on real files: file order, alerts holding events outside their window, shared ids, late events.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

interface AlertLine {
  alertId: string;
  revision: number;
  ruleId: string;
  title: string;
  eventCount: number;
  firstEventTime: string;
  lastEventTime: string;
  windowStart: string;
  windowEnd: string;
  late?: boolean;
}

/** A Magic DNS disable (Tailscale.Magic.DNS.Disabled fires on it) by `actor`, or with action UPDATE (no rule fires). */
function audit(eventTime: string, actor = 'alice', action = 'DISABLE'): string {
  return JSON.stringify({
    eventTime,
    eventGroupID: `g-${eventTime}-${actor}-${action}`,
    origin: 'ADMIN_CONSOLE',
    actor: { id: `u-${actor}`, type: 'USER', loginName: `${actor}@example.com` },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
    action,
  });
}
const other = (eventTime: string) => audit(eventTime, 'ops', 'UPDATE');

async function replay(...paths: string[]): Promise<AlertLine[]> {
  const result = await runCli(['replay', ...paths, '--format', 'json', '--rule', 'Tailscale.Magic.DNS.Disabled']);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AlertLine);
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tailwatch-disorder-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function file(name: string, lines: string[]): Promise<string> {
  const path = join(tmp, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

describe('replay under arrival disorder', () => {
  it('gives the same alerts whatever order the files are named in (three disables 5 minutes apart: 1 alert, not 3)', async () => {
    const disables = await file('order/a-disables.ndjson', [audit('2026-03-02T10:00:00Z'), audit('2026-03-02T10:05:00Z'), audit('2026-03-02T10:10:00Z')]);
    const later = await file('order/b-later.ndjson', [other('2026-03-02T12:00:00Z')]);
    const forward = await replay(disables, later);
    expect(await replay(later, disables)).toEqual(forward);
    expect(forward).toHaveLength(1);
    expect(forward[0]).toMatchObject({ eventCount: 3, firstEventTime: '2026-03-02T10:00:00.000Z', lastEventTime: '2026-03-02T10:10:00.000Z' });
  });

  it('reads a directory recursively, in path order', async () => {
    const dir = join(tmp, 'order');
    expect(await replay(dir)).toEqual(await replay(join(dir, 'b-later.ndjson'), join(dir, 'a-disables.ndjson')));
  });

  it('never lets an alert hold events outside its window (a 2026 alert counting a 2023 event)', async () => {
    const mixed = await file('mixed.ndjson', [audit('2026-03-02T10:00:00Z'), audit('2023-03-02T10:00:00Z')]);
    const alerts = await replay(mixed);
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(alert.firstEventTime >= alert.windowStart && alert.lastEventTime < alert.windowEnd, JSON.stringify(alert)).toBe(true);
    }
    expect(alerts.find((a) => a.late)).toMatchObject({ eventCount: 1, firstEventTime: '2023-03-02T10:00:00.000Z' });
  });

  it('never prints the same alertId for two different alerts', async () => {
    // A 10:00 disable arrives three times, after the watermark has moved on each time: three alerts, three ids.
    const again = (n: number) => JSON.stringify({ ...JSON.parse(audit('2026-03-02T10:00:00Z')), eventGroupID: `again-${n}` });
    const lines = [again(1), other('2026-03-02T12:00:00Z'), again(2), other('2026-03-02T13:00:00Z'), again(3)];
    const alerts = await replay(await file('ids.ndjson', lines));
    expect(alerts).toHaveLength(3);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(3);
  });

  it('gathers events that arrive after their window closed into one late alert, not one alert each', async () => {
    const lines = [audit('2026-03-02T10:00:00Z'), audit('2023-01-05T08:00:00Z', 'bob'), audit('2023-01-05T08:05:00Z', 'bob'), audit('2023-01-05T08:10:00Z', 'bob')];
    const result = await runCli(['replay', await file('late.ndjson', lines), '--format', 'json', '--rule', 'Tailscale.Magic.DNS.Disabled']);
    const alerts = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AlertLine);
    expect(alerts.filter((a) => a.late)).toMatchObject([{ eventCount: 3, late: true, windowStart: '2023-01-05T08:00:00.000Z' }]);
    expect(result.stderr).toMatch(/late \(after the allowed lateness\): Tailscale\.Magic\.DNS\.Disabled matches=3; by source: \S*late\.ndjson=3; late alerts: 1/);
  });
});
