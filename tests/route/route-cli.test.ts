import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeAlert } from '../support/make-alert.ts';
import { runCli } from '../support/run-cli.ts';

const config = resolve(import.meta.dirname, '../../fixtures/configs/delivery.config.ts');

describe('tailwatch route', () => {
  it('--explain shows where each alert goes and why (no secrets needed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-route-'));
    const file = join(dir, 'alerts.ndjson');
    writeFileSync(file, [
      JSON.stringify(makeAlert({ alertId: 'high', severity: 'HIGH' })),
      JSON.stringify(makeAlert({ alertId: 'low', severity: 'LOW', tags: [] })),
    ].join('\n'));
    const result = await runCli(['route', file, '--explain', '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'high Tailscale.Magic.DNS.Disabled [HIGH] → secops-slack, soar',
      '  route #1 "urgent" (severity >= HIGH) matched → secops-slack, soar',
      'low Tailscale.Magic.DNS.Disabled [LOW] → console, archive',
      '  route #1 "urgent" skipped: severity LOW is below HIGH',
      '  route #2 "policy" skipped: rule id Tailscale.Magic.DNS.Disabled not in Tailscale.Policy.*',
      '  route #3 "errors" skipped: type RULE is not RULE_ERROR',
      '  no route matched → defaultRoute: console, archive',
      '',
    ].join('\n'));
  });

  it('reads stdin, prints JSON, and reports a bad alert alone with exit 1', async () => {
    const stdin = `${JSON.stringify(makeAlert({ alertId: 'ok' }))}\n{"severity":"HIGH"}\n`;
    const result = await runCli(['route', '-', '--format', 'json', '--config', config], { stdin });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ alertId: 'ok', destinations: ['secops-slack', 'soar'] });
    expect(result.stderr).toContain('stdin:2: not an alert');
  });

  it('fails clearly on a missing file or a broken config', async () => {
    const missing = await runCli(['route', '/nonexistent.json', '--config', config]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\.json.*\[INPUT\]/);
    const typo = await runCli(['route', '-', '--config', resolve(config, '../typo.config.ts')], { stdin: '{}' });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Unrecognized key: "routs"');
    expect(typo.stderr).toContain('[CONFIG]');
  });
});
