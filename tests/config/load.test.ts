import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, defineConfig, loadConfig, validateConfig } from '../../engine/config/index.ts';
import { ConfigError } from '../../engine/errors.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/configs');
const env = {
  TEST_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/very-secret-token',
  TEST_WEBHOOK_URL: 'https://soar.example/hooks/tailwatch',
  TEST_WEBHOOK_SECRET: 'whsec-123',
};

async function loadError(path: string, options: Parameters<typeof loadConfig>[1] = { env }): Promise<ConfigError> {
  const error = await loadConfig(path, options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfig', () => {
  it('loads a TypeScript config, applies defaults and resolves paths against its directory', async () => {
    const config = await loadConfig(join(fixtures, 'delivery.config.ts'), { env });
    expect(config.destinations.archive).toMatchObject({ kind: 'file', path: join(fixtures, 'out/alerts.ndjson') });
    expect(config.destinations.console).toEqual({ kind: 'stdout', format: 'json' });
    expect(config.destinations.soar).toMatchObject({ timeoutSeconds: 5 });
    expect(config.rules.dir).toBe(join(fixtures, 'rules'));
    expect(config.delivery).toEqual({ retryBaseSeconds: 0.05, retryMaxSeconds: 0.5, maxAttempts: 3, maxAgeMinutes: 1440, pollSeconds: 0.2, unhealthyAfterMinutes: 15 });
    expect(config.routes[1]).toMatchObject({ name: 'policy', continue: true, match: { ruleIds: ['Tailscale.Policy.*'] } });
  });

  it('keeps secrets as references, so printing the config shows no secret', async () => {
    const config = await loadConfig(join(fixtures, 'delivery.config.ts'), { env });
    expect(config.destinations.soar).toMatchObject({ secret: { env: 'TEST_WEBHOOK_SECRET' } });
    expect(JSON.stringify(config)).not.toContain('very-secret-token');
    expect(JSON.stringify(config)).not.toContain('whsec-123');
  });

  it('fails on a misspelt key, naming it', async () => {
    const error = await loadError(join(fixtures, 'typo.config.ts'));
    expect(error.message).toContain('typo.config.ts');
    expect(error.message).toContain('Unrecognized key: "routs"');
  });

  it('refuses a literal secret without echoing it', async () => {
    const error = await loadError(join(fixtures, 'literal-secret.config.json'));
    expect(error.message).toContain('destinations.soar.secret');
    expect(error.message).toContain('never a literal');
    expect(error.message).not.toContain('s3cr3t-in-the-file');
  });

  it('names the key and the variable when an environment variable is missing', async () => {
    const error = await loadError(join(fixtures, 'delivery.config.ts'), { env: { ...env, TEST_WEBHOOK_SECRET: undefined } });
    expect(error.message).toContain('destinations.soar.secret: environment variable TEST_WEBHOOK_SECRET is not set');
  });

  it('can skip the secret check for commands that send nothing', async () => {
    const config = await loadConfig(join(fixtures, 'delivery.config.ts'), { env: {}, checkSecrets: false });
    expect(Object.keys(config.destinations)).toEqual(['secops-slack', 'soar', 'console', 'archive']);
  });

  it('rejects a Slack URL variable that is not a URL without printing its value', async () => {
    const error = await loadError(join(fixtures, 'delivery.config.ts'), { env: { ...env, TEST_SLACK_WEBHOOK_URL: 'not a url secret-value' } });
    expect(error.message).toContain('destinations.secops-slack.url: not a valid URL (from environment variable TEST_SLACK_WEBHOOK_URL)');
    expect(error.message).not.toContain('secret-value');
  });

  it('refuses a webhook URL with user:password@ in it, literal or from the environment, without echoing it', () => {
    const config = (url: unknown) => ({ destinations: { soar: { kind: 'webhook', url } }, defaultRoute: ['soar'] });
    const literal = () => validateConfig(config('https://bot:hunter2@soar.example/hook'), '/x', 'inline');
    expect(literal).toThrow(ConfigError);
    expect(literal).toThrow(/destinations\.soar\.url: must not carry credentials \(user:password@\)/);
    expect(literal).not.toThrow(/hunter2/);
    const fromEnv = () => validateConfig(config({ env: 'HOOK_URL' }), '/x', 'inline', { env: { HOOK_URL: 'https://bot:hunter2@soar.example/hook' } });
    expect(fromEnv).toThrow(/destinations\.soar\.url: must not carry credentials \(user:password@\) \(from environment variable HOOK_URL\)/);
  });

  it('names an unknown destination in a route', () => {
    const config = { destinations: { console: { kind: 'stdout' } }, routes: [{ match: {}, to: ['slack'] }], defaultRoute: ['console', 'nope'] };
    expect(() => validateConfig(config, '/x', 'inline')).toThrow(/unknown destination "slack" \(configured: console\)\n {2}→ at routes\[0\]\.to\[0\]/);
    expect(() => validateConfig(config, '/x', 'inline')).toThrow(/unknown destination "nope"[^\n]*\n {2}→ at defaultRoute\[1\]/);
  });

  it('reports a file that is missing or cannot be imported', async () => {
    expect((await loadError('/nonexistent/alerts.config.ts')).message).toContain('not found');
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-config-'));
    writeFileSync(join(dir, 'broken.config.ts'), 'export default {');
    expect((await loadError(join(dir, 'broken.config.ts'))).message).toContain('could not be loaded');
    writeFileSync(join(dir, 'nodefault.config.ts'), 'export const x = 1;');
    expect((await loadError(join(dir, 'nodefault.config.ts'))).message).toContain('has no default export');
  });

  it('sees an edited file on reload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-config-'));
    const file = join(dir, 'alerts.config.ts');
    const write = (format: string) =>
      writeFileSync(file, `export default { destinations: { c: { kind: 'stdout', format: '${format}' } }, defaultRoute: ['c'] };`);
    write('json');
    expect((await loadConfig(file)).destinations.c).toMatchObject({ format: 'json' });
    write('text');
    expect((await loadConfig(file)).destinations.c).toMatchObject({ format: 'text' });
  });
});

describe('defaults', () => {
  it('the embedded defaults receive HEC on 127.0.0.1:8088, watch ./logs, and print and archive every alert', () => {
    const config = validateConfig(DEFAULT_CONFIG, '/srv/tailwatch', 'defaults', { env: { TAILWATCH_HEC_TOKEN: 't' } });
    expect(config.dataDir).toBe('/srv/tailwatch/data');
    expect(config.sources.map((s) => s.kind)).toEqual(['hec', 'file']);
    expect(config.sources[0]).toMatchObject({ listen: '127.0.0.1:8088' });
    expect(config.defaultRoute).toEqual(['console', 'archive']);
  });

  it('the top-level alerts.config.ts spells out exactly the embedded defaults', async () => {
    const env = { env: { TAILWATCH_HEC_TOKEN: 't' } };
    const root = resolve(import.meta.dirname, '../..');
    expect(await loadConfig(resolve(root, 'alerts.config.ts'), env)).toEqual(validateConfig(DEFAULT_CONFIG, root, 'defaults', env));
  });

  it('defineConfig returns its argument unchanged', () => {
    const input = { destinations: { c: { kind: 'stdout' as const } }, defaultRoute: ['c'] };
    expect(defineConfig(input)).toBe(input);
  });
});
