// tailwatch as a dependency, end to end, as a detection team would use it: the package is built and packed, installed
// in a temporary repository (from the npm cache: nothing but the npm registry is ever asked), scaffolded with
// `tailwatch init`, and used with this project's Node 24 first on the PATH (the machine's own may be older).
// Slow (an npm pack and two installs); every step is a real command.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const STEP_MS = 600_000;

// Only what npm and Node need: none of the npm_* variables of the `npm test` that runs this.
const ENV: NodeJS.ProcessEnv = {
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  HOME: process.env.HOME,
  TMPDIR: tmpdir(),
  ...(process.env.npm_config_cache === undefined ? {} : { npm_config_cache: process.env.npm_config_cache }),
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  NODE_DISABLE_COMPILE_CACHE: '1',
  NO_COLOR: '1',
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Result> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: ENV, maxBuffer: 64 * 2 ** 20, timeout: STEP_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

async function ok(command: string, args: string[], cwd: string): Promise<Result> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

let work: string;
let repo: string;
const tailwatch = (...args: string[]) => run('npx', ['--no-install', 'tailwatch', ...args], repo);
const replayed = async (file: string) => {
  const result = await tailwatch('replay', join(CORPUS, file), '--format', 'json');
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { ruleId: string; severity: string; title: string; eventCount: number });
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tailwatch-package-'));
  repo = join(work, 'detections');
  await mkdir(repo);
  const packed = await ok('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
  await ok('npm', ['install', '--save-dev', join(work, filename)], repo);
}, STEP_MS);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a detections repository that depends on tailwatch', () => {
  it('is scaffolded by `tailwatch init`, then installs', { timeout: STEP_MS }, async () => {
    const init = await tailwatch('init');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created alerts.config.ts');
    const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(manifest.devDependencies).sort()).toEqual(['tailwatch', 'typescript', 'vitest']);
    await ok('npm', ['install'], repo);
    expect(existsSync(join(repo, 'node_modules/tailwatch/dist/engine/index.js'))).toBe(true);
    expect(existsSync(join(repo, 'node_modules/tailwatch/engine'))).toBe(false);
  });

  it('type-checks its rules with its own tsc: a misspelt event field fails, the fix passes', { timeout: STEP_MS }, async () => {
    const rule = (field: string) => `import { defineRule } from 'tailwatch';

export default defineRule({
  id: 'Custom.API.Key.Revoked',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => e.event.action === 'REVOKE' && e.event.target.type === 'API_KEY',
  title: (e) => \`API key \${e.event.target.id} revoked by \${e.event.actor.${field} || e.event.actor.id}\`,
  dedup: (e) => e.event.target.id,
  tests: [
    { name: 'revoked', expected: true, title: 'API key k1 revoked by alice@example.com',
      log: { eventTime: '2026-01-05T10:00:00Z', action: 'REVOKE', actor: { id: 'u1', type: 'USER', loginName: 'alice@example.com' },
             target: { id: 'k1', type: 'API_KEY' } } },
    { name: 'created', expected: false,
      log: { eventTime: '2026-01-05T10:00:00Z', action: 'CREATE', actor: { id: 'u1', type: 'USER' }, target: { id: 'k1', type: 'API_KEY' } } },
  ],
});
`;
    await writeFile(join(repo, 'rules/custom-api-key-revoked.ts'), rule('loginNmae'));
    const typo = await run('npx', ['--no-install', 'tsc', '--noEmit'], repo);
    expect(typo.code).not.toBe(0);
    expect(typo.stdout).toMatch(/rules\/custom-api-key-revoked\.ts\(\d+,\d+\): error TS2551: Property 'loginNmae' does not exist[\s\S]*Did you mean 'loginName'/);
    await writeFile(join(repo, 'rules/custom-api-key-revoked.ts'), rule('loginName'));
    await ok('npx', ['--no-install', 'tsc', '--noEmit'], repo);
  });

  it('passes `npm test`: `tailwatch test` on its rules, and vitest through tailwatch/testing', { timeout: STEP_MS }, async () => {
    const tested = await ok('npm', ['test'], repo);
    expect(tested.stdout).toContain('PASS Custom.API.Key.Revoked › revoked');
    expect(tested.stdout).toContain('5 tests: 5 passed, 0 failed (2 rules)');
    expect(tested.stdout).toMatch(/Tests\s+1 passed/);
  });

  it('replays a corpus file with its rules and the whole shipped pack', { timeout: STEP_MS }, async () => {
    const alerts = await replayed('s3-export-audit.ndjson');
    expect(alerts.map((a) => a.ruleId).sort()).toEqual([
      'Custom.API.Key.Revoked',
      'Custom.API.Key.Revoked',
      'Custom.API.Key.Revoked',
      'Tailscale.LogStream.Endpoint.Deleted',
      'Tailscale.LogStream.Endpoint.Deleted',
    ]);
  });

  it('tunes a shipped rule in alerts.config.ts (options, severity) and extends one in code, with changed results', { timeout: STEP_MS }, async () => {
    const configFile = join(repo, 'alerts.config.ts');
    const config = await readFile(configFile, 'utf8');
    await writeFile(
      configFile,
      config
        .replace('    options: {},', "    options: { 'Tailscale.Webhook.Endpoint.Deleted': { targetTypes: ['LOGSTREAM_ENDPOINT'] } },")
        .replace("    pack: { include: ['*'], exclude: [] },", "    pack: { include: ['*'], exclude: ['Tailscale.LogStream.*'] },")
        .replace('    overrides: {},', "    overrides: { 'Tailscale.Webhook.Endpoint.Deleted': { severity: 'CRITICAL' } },"),
    );
    await writeFile(
      join(repo, 'rules/log-stream-endpoint-deleted.ts'),
      `import { extendRule } from 'tailwatch';
import { logStreamEndpointDeleted } from 'tailwatch/pack';

export default extendRule(logStreamEndpointDeleted, {
  title: (e) => \`log stream \${e.event.target.name ?? e.event.target.id} deleted by \${e.event.actor.displayName ?? e.event.actor.id}\`,
  tests: [],
});
`,
    );
    await ok('npx', ['--no-install', 'tsc', '--noEmit'], repo);
    // The config's options name shipped rules: `tailwatch test` of the repository's own rules still runs.
    expect((await tailwatch('test', '--config', 'alerts.config.ts')).stdout).toContain('5 tests: 5 passed, 0 failed (3 rules)');
    const alerts = await replayed('s3-export-audit.ndjson');
    const byRule = (id: string) => alerts.filter((a) => a.ruleId === id);
    expect(byRule('Tailscale.Webhook.Endpoint.Deleted').map((a) => a.severity)).toEqual(['CRITICAL']);
    // Excluded from the pack, yet run: the repository's own rule replaces it, once. Its title is also its dedup
    // (the base has no dedup), so both deletions are now one alert.
    expect(byRule('Tailscale.LogStream.Endpoint.Deleted').map((a) => [a.title, a.eventCount])).toEqual([
      [expect.stringMatching(/^log stream example\.com deleted by /), 2],
    ]);
  });

  it('generates the catalog of its effective rule set with `tailwatch docs`', { timeout: STEP_MS }, async () => {
    const docs = await tailwatch('docs');
    expect(docs.code, docs.stderr).toBe(0);
    const catalog = await readFile(join(repo, 'docs/rules.md'), 'utf8');
    for (const id of ['Custom.API.Key.Revoked', 'Custom.Node.Routes.Changed', 'Tailscale.Magic.DNS.Disabled', 'Tailscale.LogStream.Endpoint.Deleted']) {
      expect(catalog).toContain(id);
    }
  });

  it('refuses a rule that takes a shipped rule’s id without saying it replaces it', { timeout: STEP_MS }, async () => {
    const clash = `import { defineRule } from 'tailwatch';
export default defineRule({ id: 'Tailscale.Magic.DNS.Disabled', logTypes: ['Tailscale.Audit'], severity: 'LOW', rule: () => true });
`;
    await writeFile(join(repo, 'rules/magic-dns-disabled.ts'), clash);
    const result = await tailwatch('replay', join(CORPUS, 's3-export-audit.ndjson'), '--format', 'json');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/magic-dns-disabled\.ts: Tailscale\.Magic\.DNS\.Disabled is the id of a shipped rule/);
  });
});
