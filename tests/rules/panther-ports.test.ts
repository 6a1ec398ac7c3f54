// Panther's own unit tests for its Tailscale rules (fixtures/corpus) must hold for our ports of them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadRules } from '../../engine/rules/load-rules.ts';
import { runRuleTest } from '../../engine/testing/index.ts';

const PantherTests = z.array(z.object({ ruleId: z.string(), name: z.string(), expectedResult: z.boolean(), log: z.record(z.string(), z.unknown()) }));
const cases = PantherTests.parse(JSON.parse(readFileSync('fixtures/corpus/panther-rule-tests.json', 'utf8')));
const rules = new Map((await loadRules('rules')).map((loaded) => [loaded.rule.id, loaded.rule]));

describe('Panther rule tests against our ports', () => {
  it('covers the three Panther Tailscale rules', () => {
    expect(new Set(cases.map((c) => c.ruleId))).toEqual(
      new Set(['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled', 'Tailscale.Machine.Approval.Requirements.Disabled']),
    );
  });

  for (const c of cases) {
    it(`${c.ruleId} › ${c.name} (expected ${c.expectedResult})`, () => {
      const rule = rules.get(c.ruleId);
      if (rule?.kind !== 'rule') throw new Error(`${c.ruleId} is not a per-event rule`);
      expect(rule).toMatchObject({ severity: 'HIGH', dedupPeriodMinutes: 60, threshold: 1 });
      const result = runRuleTest(rule, { name: c.name, expected: c.expectedResult, log: c.log });
      expect(result.failures).toEqual([]);
    });
  }
});
