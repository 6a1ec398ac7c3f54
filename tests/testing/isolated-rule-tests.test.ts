// describeRuleFileTests (the inline tests of tests/rules/inline-tests.test.ts) runs rule tests through
// runRuleTestsIsolated: a rule that never returns gives a failed result with a clear message, not a hung test run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRuleTestsIsolated } from '../../engine/testing/isolated-rule-tests.ts';

const ENGINE = resolve(import.meta.dirname, '../../engine/index.ts');
const log = { eventTime: '2026-06-01T10:00:00Z', eventGroupID: 'g1', origin: 'ADMIN_CONSOLE', actor: { id: 'u1', type: 'USER', loginName: 'a@example.com', displayName: 'A' }, target: { id: 't', name: 't', type: 'TAILNET', property: 'MAGIC_DNS' }, action: 'DISABLE' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-isolated-tests-'));
  const magicDns = await readFile(resolve(import.meta.dirname, '../../rules/magic-dns-disabled.ts'), 'utf8');
  await writeFile(join(dir, 'magic-dns-disabled.ts'), magicDns.replaceAll("'../engine/index.ts'", JSON.stringify(ENGINE)));
  await writeFile(
    join(dir, 'test-title-loop.ts'),
    `import { defineRule } from ${JSON.stringify(ENGINE)};
export default defineRule({
  id: 'Test.Title.Loop',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: () => true,
  title: () => {
    for (;;) {}
  },
  tests: [{ name: 'title loops', expected: true, log: ${JSON.stringify(log)} }],
});
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rule tests in a watched worker', () => {
  it('fails the test whose rule never returns, and runs the others', async () => {
    const run = await runRuleTestsIsolated({ dir, overrides: {}, filter: undefined, minTests: 0 }, { callMs: 200, loadMs: 1_000 });
    const failed = run.results.filter((result) => !result.passed);
    expect(failed).toEqual([
      { ruleId: 'Test.Title.Loop', name: 'title loops', passed: false, failures: ['the rule ran longer than its time budget of 200 ms (rules.timeBudgetMs) and was stopped (a loop that never ends?)'] },
    ]);
    expect(run.results.filter((result) => result.ruleId === 'Tailscale.Magic.DNS.Disabled' && result.passed).length).toBeGreaterThan(0);
    expect(run.rules).toBe(2);
  });
});
