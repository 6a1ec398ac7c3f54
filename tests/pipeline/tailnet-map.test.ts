// `replay --tailnet-map GLOB=TAILNET`: each input's events get the tailnet of the first pattern matching its path,
// else --tailnet (else "default"); alerts of two customers' logs stay apart.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { ConfigError } from '../../engine/errors.ts';
import { resolveInputs } from '../../engine/pipeline/read-inputs.ts';
import { runReplay } from '../../engine/pipeline/replay.ts';
import { compileTailnetMap } from '../../engine/pipeline/tailnet-map.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import { auditRecord } from '../rules/events.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-tailnet-map-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tailnet map', () => {
  it('takes the first matching pattern', () => {
    const tailnetOf = compileTailnetMap(['logs/acme/**=acme', 'logs/**=other']);
    expect(tailnetOf('logs/acme/2026/a.ndjson')).toBe('acme');
    expect(tailnetOf('logs/globex/a.ndjson')).toBe('other');
    expect(tailnetOf('elsewhere/a.ndjson')).toBeUndefined();
  });

  it('refuses an entry without a tailnet', () => {
    expect(() => compileTailnetMap(['logs/acme/**'])).toThrow(ConfigError);
    expect(() => compileTailnetMap(['logs/**=two words'])).toThrow(/GLOB=TAILNET/);
  });

  it('gives each input its tailnet in a replay, and --tailnet the rest', async () => {
    const record = JSON.stringify(auditRecord(1, { target: { id: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' } }));
    for (const customer of ['acme', 'globex']) {
      await mkdir(join(dir, 'logs', customer), { recursive: true });
      await writeFile(join(dir, 'logs', customer, 'audit.ndjson'), `${record}\n`);
    }
    const rules = await loadRules('rules', { only: ['Tailscale.Magic.DNS.Disabled'] });
    const alerts: Alert[] = [];
    const tailnetOf = compileTailnetMap([`${join(dir, 'logs', 'acme')}/**=acme`]);
    await runReplay({ inputs: await resolveInputs([join(dir, 'logs')]), rules, tailnetOf, onAlert: (a) => alerts.push(a) });
    expect(alerts.map((a) => a.tailnet).sort()).toEqual(['acme', 'default']);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(2);

    const cli = await runCli(['replay', 'logs', '--tailnet-map', 'logs/acme/**=acme', '--tailnet-map', 'logs/globex/**=globex', '--rules', join(process.cwd(), 'rules'), '--rule', 'Tailscale.Magic.DNS.Disabled', '--format', 'json'], { cwd: dir });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Alert).tailnet).sort()).toEqual(['acme', 'globex']);
  });
});
