// The whole pack on six hours of generated tailnet logs with planted incidents: each traffic rule fires exactly
// once per incident with the right group key, nothing fires on the background; the real `tailwatch replay` agrees,
// and splitting the input across files changes nothing.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/index.ts';
import { generateIncidentStream } from '../../fixtures/incidents/generate-incidents.ts';

const run = promisify(execFile);
const stream = generateIncidentStream();
const expected = stream.incidents.map((i) => `${i.ruleId} ${i.dedup}`).sort();

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tailwatch-incidents-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function replayCli(...files: string[]): Promise<Alert[]> {
  const { stdout } = await run(process.execPath, ['engine/cli/main.ts', 'replay', '--format', 'json', '--rules', 'rules', ...files], {
    cwd: process.cwd(),
    maxBuffer: 1 << 26,
  });
  return stdout.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Alert);
}

describe('planted incidents', () => {
  it('raise exactly one alert each, with the group key as dedup, and nothing else fires', async () => {
    const evaluator = new Evaluator(await loadRules('rules'));
    const created: Alert[] = [];
    for (const record of stream.records) {
      const parsed = parseRecord(record, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'incidents', sourceLabel: 'planted incidents' });
      if (!parsed.ok) throw new Error(parsed.message);
      created.push(...evaluator.process(parsed.event).created);
    }
    created.push(...evaluator.flush().created);
    expect(created.map((a) => `${a.ruleId} ${a.dedup}`).sort()).toEqual(expected);
    expect(created.every((a) => a.type === 'RULE')).toBe(true);
    const virtual = created.find((a) => a.dedup === '100.64.0.12');
    expect(virtual?.alertContext).toMatchObject({ destinationIp: '100.64.0.12', threshold: 10 * 2 ** 30 });
    expect((virtual?.alertContext.topContributors as { contributor: string }[])[0]?.contributor).toBe('node-7.example.ts.net → :443');
    expect(evaluator.stats().aggregates['Tailscale.High.Virtual.Traffic.Received']?.lateEvents).toBe(0);
  });

  it('stays quiet on the busy destination only because of its baseline', async () => {
    const options = { 'Tailscale.High.Virtual.Traffic.Received': { baselineFactor: 1 } };
    const evaluator = new Evaluator(await loadRules('rules', { only: ['Tailscale.High.Virtual.Traffic.Received'], options }));
    const created: Alert[] = [];
    for (const record of stream.records) {
      const parsed = parseRecord(record, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'incidents', sourceLabel: 'planted incidents' });
      if (parsed.ok) created.push(...evaluator.process(parsed.event).created);
    }
    // Its doubled half hour (16.5 GiB per window) is above the 10 GiB floor but not 5 × its usual 8.7 GiB.
    expect(created.map((a) => a.dedup).sort()).toEqual(['100.64.0.12', '100.64.0.14', '100.64.0.29']);
  });

  it('gives the same alerts through the real replay CLI, whole or split across files', async () => {
    const whole = join(tmp, 'whole.ndjson');
    await writeFile(whole, ndjson(stream.records));
    const cut = [3001, 7777];
    const parts = [stream.records.slice(0, cut[0]), stream.records.slice(cut[0], cut[1]), stream.records.slice(cut[1])];
    const files = parts.map((_, i) => join(tmp, `part-${i}.ndjson`));
    await Promise.all(parts.map((records, i) => writeFile(files[i] ?? '', ndjson(records))));

    const alerts = await replayCli(whole);
    expect(alerts.map((a) => `${a.ruleId} ${a.dedup}`).sort()).toEqual(expected);
    const exfil = alerts.find((a) => a.dedup === '100.64.0.12');
    // Every window of the 40-minute exfiltration that reached the floor is one match: one alert, 36 crossing windows.
    expect(exfil?.eventCount).toBe(36);
    expect(await replayCli(...files)).toEqual(alerts);
    // Input order on the command line does not matter: files are read in path order.
    expect(await replayCli(...[...files].reverse())).toEqual(alerts);
  });
});
