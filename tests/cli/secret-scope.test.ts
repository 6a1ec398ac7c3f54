// A command needs only the secrets it uses: send-test one destination's, replay --deliver the destinations'.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const SHIPPED_CONFIG = resolve(import.meta.dirname, '../../alerts.config.ts');
const RULES = resolve(import.meta.dirname, '../../rules');
let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-secrets-'));
  config = join(dir, 'alerts.config.json');
  await writeFile(config, JSON.stringify({
    dataDir: join(dir, 'data'),
    sources: [{ kind: 'hec', tokens: [{ env: 'TAILWATCH_HEC_TOKEN' }] }],
    destinations: {
      console: { kind: 'stdout', format: 'text' },
      pager: { kind: 'slack', url: { env: 'PAGER_SLACK_URL' } },
    },
    defaultRoute: ['console'],
  }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secrets a command needs', () => {
  it('send-test --destination console works on the shipped config without TAILWATCH_HEC_TOKEN', async () => {
    const result = await runCli(['send-test', '--destination', 'console', '--config', SHIPPED_CONFIG], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('✓ console: test alert delivered');
    expect(result.code).toBe(0);
  });

  it('send-test ignores another destination’s missing secret, and names its own', async () => {
    const console = await runCli(['send-test', '--destination', 'console', '--config', config], { cwd: dir });
    expect(console.code).toBe(0);
    const pager = await runCli(['send-test', '--destination', 'pager', '--config', config], { cwd: dir });
    expect(pager.code).toBe(1);
    expect(pager.stderr).toContain('destinations.pager.url: environment variable PAGER_SLACK_URL is not set');
    expect(pager.stderr).not.toContain('TAILWATCH_HEC_TOKEN');
  });

  it('replay --deliver needs the destinations’ secrets, not the sources’', async () => {
    const configured = { PAGER_SLACK_URL: 'http://127.0.0.1:9/unused' };
    const result = await runCli(['replay', '-', '--deliver', '--format', 'json', '--rules', RULES, '--config', config], { cwd: dir, env: configured, stdin: '' });
    expect(result.stderr).not.toContain('TAILWATCH_HEC_TOKEN');
    expect(result.code).toBe(0);
  });
});
