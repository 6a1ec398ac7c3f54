// `tailwatch test` as users run it: the real CLI in a child process on fixture rule directories.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const FIXTURES = 'fixtures/rules-test-command';

const tailwatch = (...args: string[]) => runCli(['test', ...args]);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tailwatch-test-cmd-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('tailwatch test', () => {
  it('passes on a shipped rule (default --rules ./rules), with a PASS line per test and a summary', async () => {
    const { code, stdout } = await tailwatch('--filter', 'Tailscale.Magic.DNS.Disabled');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'PASS Tailscale.Magic.DNS.Disabled › Magic DNS Disabled',
        'PASS Tailscale.Magic.DNS.Disabled › Other Event',
        'PASS Tailscale.Magic.DNS.Disabled › Disabled through the API (CONFIG_API origin)',
        '',
        '3 tests: 3 passed, 0 failed (1 rule)',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 on a failing test and shows expected vs actual', async () => {
    const { code, stdout } = await tailwatch('--rules', FIXTURES);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'FAIL Tailscale.Failing.Title › Wrong title\n    title: expected "something else", actual "DISABLE by alice@example.com"\n',
    );
    expect(stdout).toContain('PASS Tailscale.Failing.Title › Other action\n');
    expect(stdout).toMatch(/\n4 tests: 3 passed, 1 failed \(3 rules\)\n$/);
  });

  it('repeats the failures in the summary, so they are not buried among PASS lines', async () => {
    const { stdout } = await tailwatch('--rules', FIXTURES);
    const summary = stdout.slice(stdout.lastIndexOf('\nFailures:\n'));
    expect(summary).toBe(
      '\nFailures:\nFAIL Tailscale.Failing.Title › Wrong title\n    title: expected "something else", actual "DISABLE by alice@example.com"\n\n4 tests: 3 passed, 1 failed (3 rules)\n',
    );
  });

  it('names the rule on every line of an invalid option, with the option it is about', async () => {
    const config = join(tmp, 'bad-options.config.mjs');
    await writeFile(config, `export default { rules: { options: { 'Tailscale.Auth.Key.Risky.Created': { maxValidDays: 'thirty' } } } };\n`);
    const { code, stderr } = await tailwatch('--filter', 'Tailscale.Auth.Key.*', '--config', config);
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((line) => line.includes('maxValidDays'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('rule Tailscale.Auth.Key.Risky.Created: option maxValidDays:');
  });

  it('filters by rule id glob or test name substring', async () => {
    const byId = await tailwatch('--rules', FIXTURES, '--filter', 'Tailscale.*.Positive');
    expect(byId.code).toBe(0);
    expect(byId.stdout).toBe('PASS Tailscale.Only.Positive › Deleted\n\n1 test: 1 passed, 0 failed (1 rule)\n');
    const byName = await tailwatch('--rules', FIXTURES, '--filter', 'other act');
    expect(byName.stdout).toBe('PASS Tailscale.Failing.Title › Other action\n\n1 test: 1 passed, 0 failed (1 rule)\n');
    const none = await tailwatch('--rules', FIXTURES, '--filter', 'nothing-like-this');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no test matched --filter nothing-like-this');
  });

  it('writes one JSON report with --format json', async () => {
    const { code, stdout } = await tailwatch('--rules', FIXTURES, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { summary: unknown; results: { ruleId: string; name: string; passed: boolean; failures: string[] }[] };
    expect(report.summary).toEqual({ rules: 3, tests: 4, passed: 3, failed: 1, coverageFailures: 0 });
    expect(report.results.find((r) => !r.passed)).toMatchObject({ ruleId: 'Tailscale.Failing.Title', name: 'Wrong title' });
  });

  it('fails rules below --min-tests or without both a positive and a negative test', async () => {
    const { code, stdout } = await tailwatch('--rules', FIXTURES, '--filter', 'Tailscale.Only.*', '--min-tests', '2');
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL Tailscale.Only.Positive › (min-tests) has 1 test (a positive, no negative); needs at least 2');
    expect(stdout).toMatch(/1 rule below --min-tests/);
    expect((await tailwatch('--filter', 'Tailscale.Magic.DNS.Disabled', '--min-tests', '3')).code).toBe(0);
  });

  it('applies rules.options from --config', async () => {
    const config = join(tmp, 'alerts.config.ts');
    await writeFile(config, "export default { rules: { options: { 'Tailscale.Tunable.Property': { property: 'MAGIC_DNS' } } } };\n");
    const filter = ['--rules', FIXTURES, '--filter', 'Tailscale.Tunable.Property'];
    expect((await tailwatch(...filter)).code).toBe(0);
    const overridden = await tailwatch(...filter, '--config', config);
    expect(overridden.code).toBe(1);
    expect(overridden.stdout).toContain('FAIL Tailscale.Tunable.Property › HTTPS changed\n    expected: an alert, actual: no alert\n');
  });

  it('exits 1 naming the problem when rules cannot be loaded', async () => {
    const { code, stderr } = await tailwatch('--rules', join(tmp, 'missing'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read rules directory .*missing.* \[RULE_LOAD\]/);
  });
});
