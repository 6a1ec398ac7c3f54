// The suppression commands as users type them: `tailwatch test` warns about config entries expired by the wall clock,
// `tailwatch suppress` refuses an unknown alert or an unreadable duration, and `tailwatch suppressions` lists both kinds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-suppress-'));
  config = join(dir, 'alerts.config.json');
  const entry = { rules: ['Tailscale.Magic.*'], match: { user: 'alice@example.com' }, reason: 'migration', owner: 'secops@example.com' };
  await writeFile(
    config,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      destinations: {},
      defaultRoute: [],
      suppressions: [
        { ...entry, id: 'old-migration', expires: '2020-01-01' },
        { ...entry, id: 'forever', permanent: true },
      ],
    }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('suppression commands', () => {
  it('tailwatch test warns about an expired entry and still passes', async () => {
    const result = await runCli(['test', '--filter', 'Tailscale.Magic.DNS.Disabled', '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('WARN suppression old-migration');
    expect(result.stdout).toContain('expired at 2020-01-01');
    expect(result.stdout).not.toContain('suppression forever');
  });

  it('tailwatch suppress names what is wrong', async () => {
    const unknown = await runCli(['suppress', 'ffff', '--for', '4h', '--reason', 'x', '--config', config]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no alert ffff in the alert history');
    const duration = await runCli(['suppress', 'ffff', '--for', 'four hours', '--reason', 'x', '--config', config]);
    expect(duration.code).not.toBe(0);
    expect(duration.stderr).toContain('--for four hours: not a duration');
  });

  it('tailwatch suppressions lists the config entries with their status', async () => {
    const result = await runCli(['suppressions', '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'expired config old-migration',
      'active config forever',
    ]);
  });
});
