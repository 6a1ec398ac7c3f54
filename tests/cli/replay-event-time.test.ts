// Event time in a real `tailwatch replay`: the same record in every delivery shape gets the same alert ids; a record
// with an invalid time is rejected (never dated "now"), so replays agree; a record dated far ahead is quarantined
// and the alerts after it still fire.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBuffer } from '../../engine/decode/index.ts';
import { runCli } from '../support/run-cli.ts';

const FIXTURE_RULES = 'fixtures/time/rules';
const HEC_BODY = 'fixtures/corpus/hec-stream-body.txt';

interface AlertLine {
  alertId: string;
  ruleId: string;
  dedup: string;
  eventCount: number;
  firstEventTime: string;
}

type Json = Record<string, unknown>;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tailwatch-event-time-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function replay(name: string, lines: readonly unknown[], ...args: string[]) {
  const file = join(tmp, name);
  await writeFile(file, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  const result = await runCli(['replay', file, '--format', 'json', ...args]);
  expect(result.code).toBe(0);
  const alerts = result.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as AlertLine);
  return { ...result, alerts };
}

/** Panther's stored text form of a time: `2026-06-03 15:32:56.773000000`. */
const pantherTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '000000');

describe('tailwatch replay: one event time in every delivery shape', () => {
  const envelopes = decodeBuffer(readFileSync(HEC_BODY), HEC_BODY).map((r) => (r.ok ? r.value : undefined) as Json);
  const asApiRecord = ({ time, event, fields }: Json) => {
    const record = event as Json;
    // Log streaming leaves eventTime out of audit records and sends it as the envelope's time.
    const eventTime = 'action' in record && record.eventTime === undefined ? new Date((time as number) * 1000).toISOString() : record.eventTime;
    return { ...record, ...(eventTime === undefined ? {} : { eventTime }), logged: (fields as Json).recorded };
  };
  const asPantherRow = ({ time, event, fields }: Json) => ({
    event, fields: { recorded: pantherTime(Date.parse((fields as Json).recorded as string)) }, time: pantherTime((time as number) * 1000),
    p_event_time: pantherTime((time as number) * 1000).slice(0, -3), p_log_type: 'action' in (event as Json) ? 'Tailscale.Audit' : 'Tailscale.Network',
    p_row_id: 'stored-row', p_source_label: 'Tailscale Audit and Network Logs',
  });

  it('gives the corpus HEC body, its API/S3 records and its Panther-stored rows the same alert ids', async () => {
    const hec = await runCli(['replay', HEC_BODY, '--format', 'json', '--rules', FIXTURE_RULES]);
    const fromHec = hec.stdout.trim().split('\n').map((line) => JSON.parse(line) as AlertLine);
    const fromApi = (await replay('api.ndjson', envelopes.map(asApiRecord), '--rules', FIXTURE_RULES)).alerts;
    const fromPanther = (await replay('panther.ndjson', envelopes.map(asPantherRow), '--rules', FIXTURE_RULES)).alerts;
    // The network record's own `end`, not the envelope time 2.5 s before it; the audit record has only the envelope time.
    expect(fromHec.map((a) => [a.ruleId, a.dedup, a.firstEventTime]).sort()).toEqual([
      ['Time.Every.Event', 'Tailscale.Audit u0001CNTRL', '2026-06-03T15:34:47.356Z'],
      ['Time.Every.Event', 'Tailscale.Network n0001CNTRL', '2026-06-03T15:32:59.274Z'],
    ]);
    expect(fromApi).toEqual(fromHec);
    expect(fromPanther).toEqual(fromHec);
  });
});

describe('tailwatch replay: invalid times', () => {
  const audit = (eventTime: string, property = 'MAGIC_DNS') => ({
    eventTime, origin: 'ADMIN_CONSOLE', action: 'DISABLE',
    actor: { id: 'uAlice', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property },
  });

  it('rejects "eventTime":"yesterday" as invalid_time, so two replays give identical output', async () => {
    const lines = [audit('2026-08-10T09:00:00Z', 'HTTPS'), audit('yesterday')];
    const runs = [];
    for (const n of [1, 2]) {
      const rejects = join(tmp, `rejects-${n}.ndjson`);
      const result = await replay('yesterday.ndjson', lines, '--rejects', rejects);
      runs.push({ stdout: result.stdout, rejects: await readFile(rejects, 'utf8') });
      expect(result.stderr).toContain('records rejected: 1 (invalid_time=1)');
      expect(result.stderr).toMatch(/rejected \(invalid_time\): \S+yesterday\.ndjson:2: Tailscale\.Audit record has an invalid eventTime: "yesterday"/);
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(JSON.parse(runs[0]!.rejects)).toMatchObject({ line: 2, reason: 'invalid_time' });
    expect(runs[0]!.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('tailwatch replay: a record dated far ahead', () => {
  const actor = (id: string) => ({ id, type: 'USER', loginName: `${id}@example.com`, displayName: id });
  const magicDns = (eventTime: string, who: string) => ({
    eventTime, logged: eventTime, origin: 'ADMIN_CONSOLE', action: 'DISABLE', actor: actor(who),
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
  });
  const failedRequest = (second: number) => ({
    eventTime: `2026-08-10T09:02:${String(second).padStart(2, '0')}.000Z`, origin: 'CONFIG_API', action: 'FAILED_REQUEST', error: 'permission denied',
    actor: { id: 'kStolenCNTRL', type: 'API_KEY', loginName: '', displayName: 'API key' },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
  });
  const { eventTime: _, logged: __, ...noOwnTime } = magicDns('', 'mallory');

  it('quarantines it as time_out_of_range; per-event and aggregate alerts right after it still fire', async () => {
    const result = await replay('far-ahead.ndjson', [
      magicDns('2026-08-10T09:00:00.000Z', 'alice'),
      // HEC envelope with `"time": 8000000000000` (year ~255,000), recorded normally.
      { time: 8_000_000_000_000, event: noOwnTime, fields: { recorded: '2026-08-10T09:00:01.000Z' } },
      // API record whose eventTime is a year ahead of its logged time.
      { ...magicDns('2027-08-10T09:00:02.000Z', 'mallory'), logged: '2026-08-10T09:00:02.000Z' },
      magicDns('2026-08-10T09:01:00.000Z', 'bob'),
      magicDns('2026-08-10T09:01:30.000Z', 'bob'),
      ...Array.from({ length: 10 }, (_, i) => failedRequest(i)),
    ], '--rejects', join(tmp, 'far-ahead-rejects.ndjson'));
    // bob's two changes share one dedup window: one alert, two events.
    expect(result.alerts.map((a) => [a.ruleId, a.firstEventTime, a.eventCount]).sort()).toEqual([
      // An aggregate alert's times are those of its crossing windows' last minutes.
      ['Tailscale.Failed.Requests.Burst', '2026-08-10T09:02:00.000Z', 1],
      ['Tailscale.Magic.DNS.Disabled', '2026-08-10T09:00:00.000Z', 1],
      ['Tailscale.Magic.DNS.Disabled', '2026-08-10T09:01:00.000Z', 2],
    ]);
    expect(result.stderr).toContain('records rejected: 2 (time_out_of_range=2)');
    const rejects = (await readFile(join(tmp, 'far-ahead-rejects.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Json);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'time_out_of_range'], [3, 'time_out_of_range']]);
  });
});
