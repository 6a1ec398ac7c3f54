// `tailwatch replay --learn-from`: events before --from prime the first-seen rules, so a backtest alerts only on
// values new by then, and says how many events it learned from.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

let dir: string;
let events: string;

const policyUpdate = (date: string, login: string) =>
  JSON.stringify({
    eventTime: `${date}T09:00:00.000Z`,
    eventGroupID: `g-${date}-${login}`,
    origin: 'ADMIN_CONSOLE',
    actor: { id: `u-${login}`, type: 'USER', loginName: login },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
    action: 'UPDATE',
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-learn-from-'));
  events = join(dir, 'events.ndjson');
  const lines = [
    policyUpdate('2026-05-01', 'alice@example.com'),
    policyUpdate('2026-05-10', 'bob@example.com'),
    policyUpdate('2026-06-02', 'alice@example.com'),
    policyUpdate('2026-06-03', 'bob@example.com'),
    policyUpdate('2026-06-04', 'mallory@example.com'),
  ];
  await writeFile(events, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const newActors = (stdout: string) =>
  stdout.trim().split('\n').map((line) => JSON.parse(line) as { ruleId: string; dedup: string }).filter((alert) => alert.ruleId === 'Tailscale.Policy.New.Actor').map((alert) => alert.dedup);

describe('replay --learn-from', () => {
  it('learns the actors before --from: only the new one fires', async () => {
    const result = await runCli(['replay', events, '--format', 'json', '--from', '2026-06-01', '--learn-from', '2026-04-01']);
    expect(result.code).toBe(0);
    expect(newActors(result.stdout)).toEqual(['policy file: mallory@example.com']);
    expect(result.stderr).toContain('events learned by first-seen rules (--learn-from, not alerted on): 2');
  });

  it('without it, the learning period starts at --from and nothing fires', async () => {
    const result = await runCli(['replay', events, '--format', 'json', '--from', '2026-06-01']);
    expect(result.code).toBe(0);
    expect(newActors(result.stdout)).toEqual([]);
  });

  it('needs a later --from', async () => {
    const result = await runCli(['replay', events, '--learn-from', '2026-06-01']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--learn-from 2026-06-01 needs a later --from');
  });
});
