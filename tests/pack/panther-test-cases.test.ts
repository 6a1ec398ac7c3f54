// A file of Panther rule test cases (`{ruleId, name, expectedResult, log}`, or pypanther's `{Log, ExpectedResult}`)
// replays as the logs it holds: the three HIGH Panther ports each alert once, on the case that expects it (other
// rules of the pack may alert on the other cases: one creates a risky auth key).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { runReplay } from '../../engine/pipeline/replay.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import { runCli } from '../support/run-cli.ts';

const root = resolve(import.meta.dirname, '../..');
const file = join(root, 'fixtures/corpus/panther-rule-tests.json');
const cases = JSON.parse(readFileSync(file, 'utf8')) as { ruleId: string; expectedResult: boolean; log: unknown }[];
const expected = cases.filter((c) => c.expectedResult).map((c) => c.ruleId).sort();
const highRuleIds = (alerts: Alert[]) => alerts.filter((a) => a.severity === 'HIGH').map((a) => a.ruleId).sort();

describe('replaying Panther rule test cases', () => {
  it('tailwatch replay evaluates the logs of the cases: one alert per expected-true case', async () => {
    expect(expected).toEqual(['Tailscale.HTTPS.Disabled', 'Tailscale.Machine.Approval.Requirements.Disabled', 'Tailscale.Magic.DNS.Disabled']);
    const result = await runCli(['replay', '--format', 'json', '--rules', join(root, 'rules'), file]);
    expect(result.code).toBe(0);
    const alerts = result.stdout.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Alert);
    expect(highRuleIds(alerts)).toEqual(expected);
    expect(alerts.every((a) => a.type === 'RULE')).toBe(true);
    expect(result.stderr).toMatch(/events parsed: Tailscale.Audit=6/);
    expect(result.stderr).toMatch(/records rejected: 0/);
  });

  it("pypanther's capitalised Log / ExpectedResult form too", async () => {
    const pypanther = cases.map((c) => ({ Name: c.ruleId, ExpectedResult: c.expectedResult, Log: c.log }));
    const alerts: Alert[] = [];
    const stats = await runReplay({
      inputs: [{ source: 'pypanther.json', bytes: undefined, open: () => Readable.from([JSON.stringify(pypanther)]) }],
      rules: await loadRules(join(root, 'rules')),
      onAlert: (alert) => alerts.push(alert),
    });
    expect(stats.rejectedByReason).toEqual({});
    expect(stats.eventsByLogType).toEqual({ 'Tailscale.Audit': 6 });
    expect(highRuleIds(alerts)).toEqual(expected);
  });
});
