// A rule that never returns cannot hang `tailwatch replay`: the watchdog stops it after rules.timeBudgetMs, the
// replay starts over without it, every other rule's alerts are still written, and the exit code says it happened.
// A rule module whose top level never finishes fails the load (rules.loadBudgetMs) instead of hanging.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const ENGINE = resolve(import.meta.dirname, '../../engine/index.ts');
const MAGIC_DNS = resolve(import.meta.dirname, '../../rules/magic-dns-disabled.ts');

let dir: string;
let logs: string;

const audit = (minute: number, action: string) => ({
  eventTime: `2026-06-01T10:${String(minute).padStart(2, '0')}:00Z`,
  eventGroupID: `g${minute}`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'u1', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
  action,
});
const flow = { nodeId: 'n1CNTRL', start: '2026-06-01T10:00:00Z', end: '2026-06-01T10:00:05Z', logged: '2026-06-01T10:00:06Z', virtualTraffic: [{ proto: 6, src: '100.64.0.1:4000', dst: '100.64.0.2:22', txBytes: 10 }] };

/** A rules directory with the pack's Magic DNS rule (with the engine imported by absolute path) and `extra`. */
async function rulesDir(name: string, extra: Record<string, string>): Promise<string> {
  const rules = join(dir, name);
  await mkdir(rules, { recursive: true });
  const magicDns = (await readFile(MAGIC_DNS, 'utf8')).replaceAll("'../engine/index.ts'", JSON.stringify(ENGINE));
  await writeFile(join(rules, 'magic-dns-disabled.ts'), magicDns);
  for (const [file, source] of Object.entries(extra)) await writeFile(join(rules, file), source);
  await writeFile(join(dir, `${name}.config.ts`), `export default { rules: { dir: ${JSON.stringify(rules)}, timeBudgetMs: 200, loadBudgetMs: 500 }, destinations: {}, defaultRoute: [] };\n`);
  return join(dir, `${name}.config.ts`);
}

const loopingRule = `import { defineRule } from ${JSON.stringify(ENGINE)};
export default defineRule({
  id: 'Test.Loop.Forever',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => {
    if (e.event.action === 'DISABLE') for (;;) {}
    return false;
  },
});
`;

/** Its first test loops; its second is never run. */
const loopingTestedRule = loopingRule.replace(
  '});\n',
  `  tests: [
    { name: 'loops', expected: false, log: ${JSON.stringify(audit(1, 'DISABLE'))} },
    { name: 'never run', expected: false, log: ${JSON.stringify(audit(2, 'DISABLE'))} },
  ],
});
`,
);

const loopingAggregate = `import { defineAggregateRule } from ${JSON.stringify(ENGINE)};
export default defineAggregateRule({
  id: 'Test.Loop.Aggregate',
  logTypes: ['Tailscale.Network'],
  severity: 'LOW',
  aggregate: () => ({ measure: 'count', windowMinutes: 5, atLeast: 1 }),
  contributions: () => {
    for (;;) {}
  },
  title: () => 'never',
});
`;

const loopingModule = `import { defineRule } from ${JSON.stringify(ENGINE)};
for (;;) {}
export default defineRule({ id: 'Test.Loop.Load', logTypes: ['Tailscale.Audit'], severity: 'LOW', rule: () => false });
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-budget-'));
  logs = join(dir, 'logs.ndjson');
  await writeFile(logs, `${[audit(1, 'DISABLE'), flow, audit(2, 'DISABLE')].map((r) => JSON.stringify(r)).join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('replay with a rule that never returns', () => {
  it('stops the rule, writes every other rule’s alerts, and exits non-zero naming the rule and the budget', async () => {
    const config = await rulesDir('loop', { 'test-loop-forever.ts': loopingRule });
    const result = await runCli(['replay', logs, '--format', 'json', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rule Test.Loop.Forever was stopped: one call ran longer than its time budget of 200 ms');
    expect(result.stderr).toContain('stopped for overrunning the time budget: Test.Loop.Forever');
    const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ruleId: string; eventCount: number });
    expect(alerts.map((a) => [a.ruleId, a.eventCount])).toEqual([['Tailscale.Magic.DNS.Disabled', 2]]);
  });

  it('does the same with several workers: every worker starts over without the rule, and the output is the same', async () => {
    const config = await rulesDir('loop-workers', { 'test-loop-forever.ts': loopingRule, 'test-loop-aggregate.ts': loopingAggregate });
    const one = await runCli(['replay', logs, '--format', 'json', '--config', config, '--workers', '1']);
    const three = await runCli(['replay', logs, '--format', 'json', '--config', config, '--workers', '3']);
    expect([one.code, three.code]).toEqual([1, 1]);
    expect(three.stderr).toContain('stopped for overrunning the time budget: ');
    expect(three.stderr).toContain('Test.Loop.Forever');
    expect(three.stderr).toContain('Test.Loop.Aggregate');
    expect(three.stdout).toBe(one.stdout);
    expect(one.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { ruleId: string }).ruleId)).toEqual(['Tailscale.Magic.DNS.Disabled']);
  });

  it('does the same for stdin, which it reads again for the attempt without the rule', async () => {
    const config = await rulesDir('loop-stdin', { 'test-loop-forever.ts': loopingRule });
    const result = await runCli(['replay', '-', '--format', 'json', '--config', config], { stdin: await readFile(logs, 'utf8') });
    expect(result.code).toBe(1);
    const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ruleId: string; eventCount: number });
    expect(alerts.map((a) => [a.ruleId, a.eventCount])).toEqual([['Tailscale.Magic.DNS.Disabled', 2]]);
  });

  it('stops an aggregate rule whose contributions() never return', async () => {
    const config = await rulesDir('loop-aggregate', { 'test-loop-aggregate.ts': loopingAggregate });
    const result = await runCli(['replay', logs, '--format', 'json', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rule Test.Loop.Aggregate was stopped');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('fails the load of a module whose top level never finishes, naming the file', async () => {
    const config = await rulesDir('loop-load', { 'test-loop-load.ts': loopingModule });
    const result = await runCli(['replay', logs, '--format', 'json', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/test-loop-load\.ts: loading took longer than 500 ms \(rules\.loadBudgetMs\).*\[RULE_LOAD\]/);
    expect(result.stdout).toBe('');
  });
});

describe('tailwatch test with a rule that never returns', () => {
  it('fails that rule’s test naming the budget, runs every other rule’s tests, and exits non-zero', async () => {
    const config = await rulesDir('test-loop', { 'test-loop-forever.ts': loopingTestedRule });
    const result = await runCli(['test', '--rules', join(dir, 'test-loop'), '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL Test.Loop.Forever › loops');
    expect(result.stdout).toContain('the rule ran longer than its time budget of 200 ms (rules.timeBudgetMs) and was stopped');
    expect(result.stdout).toContain('its 1 remaining test(s) were not run');
    expect(result.stdout).not.toContain('› never run');
    expect(result.stdout).toContain('PASS Tailscale.Magic.DNS.Disabled › Magic DNS Disabled');
    expect(result.stdout).toMatch(/\d+ tests: \d+ passed, 1 failed \(2 rules\)/);
  });
});
