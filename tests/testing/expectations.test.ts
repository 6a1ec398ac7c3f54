// Inline-test assertions on alertContext are a deep partial match, the same in per-event and aggregate tests.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAggregateRule } from '../../engine/rules/aggregate/define-aggregate-rule.ts';
import type { AggregateRuleTest, AnyAggregateRule } from '../../engine/rules/aggregate/aggregate-rule-shape.ts';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import type { RuleTest } from '../../engine/rules/event/event-rule-shape.ts';
import { runRuleTests } from '../../engine/testing/index.ts';
import { auditRecord } from '../rules/events.ts';

const rule = defineRule({
  id: 'Test.Deep.Context',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  rule: (e) => e.event.action === 'DISABLE',
  alertContext: (e) => ({ actor: e.event.actor, target: e.event.target, tags: ['a', 'b'] }),
});

const failures = (alertContext: Record<string, unknown>) =>
  runRuleTests({ ...rule, tests: [{ name: 't', expected: true, log: auditRecord(0), alertContext } as RuleTest] })[0]?.failures;

const failure = (minute: number) => ({
  eventTime: `2026-07-29T08:${String(minute).padStart(2, '0')}:00.000Z`,
  origin: 'CONFIG_API',
  actor: { id: 'kStolen1CNTRL', type: 'API_KEY', loginName: '', displayName: 'API key' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
  action: 'FAILED_REQUEST',
});

function burstRule(alertContext: Record<string, unknown>): AnyAggregateRule {
  const tests: AggregateRuleTest[] = [{ name: 'burst', expected: true, alertContext, logs: [failure(0), failure(1), failure(2)] }];
  return defineAggregateRule({
    id: 'Test.Deep.Aggregate',
    logTypes: ['Tailscale.Audit'],
    severity: 'LOW',
    options: z.object({}),
    aggregate: () => ({ measure: 'count', windowMinutes: 5, atLeast: 3 }),
    contributions: (e, _o, emit) => emit(e.event.actor.id, 1, e.event.target.property ?? '?'),
    title: (c) => `${c.value} failures`,
    tests,
  }) as AnyAggregateRule;
}

describe('alertContext assertions', () => {
  it('match nested objects partially: only the fields the test names are checked', () => {
    expect(failures({ actor: { loginName: 'alice@example.com' } })).toEqual([]);
    expect(failures({ actor: { loginName: 'alice@example.com' }, target: { property: 'MAGIC_DNS' } })).toEqual([]);
  });

  it('name the nested path of a mismatch, with expected and actual', () => {
    expect(failures({ actor: { loginName: 'bob@example.com', type: 'USER' }, target: { missing: 1 } })).toEqual([
      'alertContext.actor.loginName: expected "bob@example.com", actual "alice@example.com"',
      'alertContext.target.missing: expected 1, actual undefined',
    ]);
  });

  it('compare arrays element by element, with their length', () => {
    expect(failures({ tags: ['a', 'b'] })).toEqual([]);
    expect(failures({ tags: ['a'] })).toEqual(['alertContext.tags: expected ["a"], actual ["a","b"]']);
  });

  it('work the same way in aggregate rule tests', () => {
    const run = (context: Record<string, unknown>) => runRuleTests(burstRule(context))[0]?.failures;
    expect(run({ topContributors: [{ contributor: 'ACL' }] })).toEqual([]);
    expect(run({ topContributors: [{ contributor: 'DNS' }] })).toEqual(['alertContext.topContributors[0].contributor: expected "DNS", actual "ACL"']);
  });
});
