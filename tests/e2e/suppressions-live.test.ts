// Suppressions in `tailwatch run`: a config entry silences matches by event time exactly as `tailwatch replay` does;
// `tailwatch suppress` and an edited config apply to the running evaluator without a restart; every suppressed match
// is kept in the alert history as suppressed, counted in /metrics, and delivered nowhere.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { runCli } from '../support/run-cli.ts';
import { waitFor } from '../support/wait-for.ts';
import { startEvaluatorUnderTest, type EvaluatorUnderTest } from './support/evaluator-under-test.ts';
import { hecBody, postHec } from './support/hec-client.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import { HEC_TOKEN, HTTP_TOKEN } from './support/workspace.ts';

const RULE = 'Tailscale.Magic.DNS.Disabled';
const at = (minute: number) => new Date(Date.UTC(2026, 7, 10, 10, minute)).toISOString();
const disable = (login: string, minute: number) => ({
  eventTime: at(minute),
  eventGroupID: `sup-${login}-${minute}`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: `u-${login}`, type: 'USER', loginName: login },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
  action: 'DISABLE',
});
const entry = (id: string, login: string, end: { expires: string } | { permanent: true }) => ({
  id,
  rules: ['Tailscale.Magic.*'],
  match: { user: login },
  reason: 'maintenance window',
  owner: 'secops@example.com',
  ...end,
});
const phase1 = [disable('alice@example.com', 0), disable('bob@example.com', 5), disable('alice@example.com', 90)];

let run: EvaluatorUnderTest;

beforeAll(async () => {
  run = await startEvaluatorUnderTest({ configure: (config) => ({ ...config, suppressions: [entry('alice-maintenance', 'alice@example.com', { expires: at(60) })] }) });
});

afterAll(async () => {
  await run?.close();
});

const cli = async (...args: string[]) => {
  const result = await runCli([...args, '--config', run.workspace.configPath]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};
const post = async (records: Record<string, unknown>[]) => expect((await postHec(run.tailwatch.baseUrl, hecBody(records), { token: HEC_TOKEN })).status).toBe(200);
const delivered = () => run.receiver.alerts().filter((alert) => alert.ruleId === RULE);
const history = async () => (await cli('alerts', 'list', '--format', 'json')).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Alert);

describe('suppressions in tailwatch run', () => {
  it('apply as in replay, pick up ad hoc and edited ones live, and keep every suppressed match visible', async () => {
    await post(phase1);
    await waitFor(() => delivered().length >= 2, 'bob’s alert and alice’s after the expiry');
    const liveIds = delivered().map((alert) => String(alert.alertId)).sort();

    // The same records replayed with the same config: the same alerts, and the suppressed match in the summary.
    const file = join(run.workspace.dir, 'phase1.ndjson');
    await writeFile(file, phase1.map((record) => JSON.stringify(record)).join('\n'));
    const replay = await runCli(['replay', '--format', 'json', '--rules', run.workspace.rulesDir, '--config', run.workspace.configPath, file]);
    expect(replay.code, replay.stderr).toBe(0);
    const replayed = replay.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Alert).filter((alert) => alert.ruleId === RULE);
    expect(replayed.map((alert) => alert.alertId).sort()).toEqual(liveIds);
    expect(replay.stderr).toContain('suppressed matches: alice-maintenance=1; suppressed alerts (not emitted): 1');

    // Ad hoc: bob's alert is suppressed for 4 hours from now; the running evaluator picks it up within a second.
    const bob = delivered().find((alert) => String(alert.dedup).includes('bob@example.com'));
    const reloadsBefore = run.tailwatch.logs.filter((line) => line.msg === 'ad hoc suppressions reloaded').length;
    expect(await cli('suppress', String(bob?.alertId), '--for', '4h', '--reason', 'bob is testing DNS', '--by', 'carol')).toContain('adhoc-1: Tailscale.Magic.DNS.Disabled');
    await waitFor(() => run.tailwatch.logs.filter((line) => line.msg === 'ad hoc suppressions reloaded').length > reloadsBefore, 'the ad hoc suppression picked up');

    // An edited config adds a permanent entry for dave; the reload applies it.
    const config = JSON.parse(await readFile(run.workspace.configPath, 'utf8')) as { suppressions: unknown[] };
    config.suppressions.push(entry('dave-lab', 'dave@example.com', { permanent: true }));
    const configReloads = run.tailwatch.logs.filter((line) => line.msg === 'rules and config reloaded').length;
    await writeFile(run.workspace.configPath, JSON.stringify(config));
    await waitFor(() => run.tailwatch.logs.filter((line) => line.msg === 'rules and config reloaded').length > configReloads, 'the config reloaded');

    await post([disable('bob@example.com', 20), disable('dave@example.com', 25), disable('erin@example.com', 30)]);
    await waitFor(() => delivered().some((alert) => String(alert.dedup).includes('erin@example.com')), 'erin’s alert');
    expect(await run.tailwatch.stop()).toEqual({ code: 0, signal: null });
    expect(delivered().map((alert) => String(alert.dedup).match(/\[(.*?)\]/)?.[1]).sort()).toEqual(['alice@example.com', 'bob@example.com', 'erin@example.com']);
    // Bob's delivered alert was not revised by the suppressed match: that formed a suppressed alert of its own.
    expect(delivered().find((alert) => alert.alertId === bob?.alertId)).toMatchObject({ eventCount: 1 });

    const suppressed = (await history()).filter((alert) => alert.suppressed !== undefined);
    expect(suppressed.map((alert) => [alert.suppressed?.id, alert.dedup.match(/\[(.*?)\]/)?.[1], alert.firstEventTime]).sort()).toEqual([
      ['adhoc-1', 'bob@example.com', at(20)],
      ['alice-maintenance', 'alice@example.com', at(0)],
      ['dave-lab', 'dave@example.com', at(25)],
    ]);
    const listed = (await cli('suppressions', '--format', 'json')).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { id: string; status: string; owner: string });
    expect(listed.map(({ id, status, owner }) => [id, status, owner])).toEqual([
      ['alice-maintenance', 'expired', 'secops@example.com'],
      ['dave-lab', 'active', 'secops@example.com'],
      ['adhoc-1', 'active', 'carol'],
    ]);
  }, 60_000);

  it('counted per suppression in /metrics', async () => {
    run.tailwatch = await startTailwatch({ configPath: run.workspace.configPath, env: run.workspace.env });
    await post([disable('dave@example.com', 40)]);
    await expect.poll(scrape, { timeout: 20_000 }).toContain('tailwatch_suppressed_matches_total{suppression="dave-lab"} 1');
  }, 30_000);
});

async function scrape(): Promise<string> {
  const response = await fetch(`${run.tailwatch.baseUrl}/metrics`, { headers: { authorization: `Bearer ${HTTP_TOKEN}` } });
  return response.text();
}
