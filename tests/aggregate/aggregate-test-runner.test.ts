import { describe, expect, it } from 'vitest';
import { runRuleTests } from '../../engine/testing/rule-test-runner.ts';
import { defineAggregateRule } from '../../engine/rules/aggregate/define-aggregate-rule.ts';
import type { AggregateRuleTest, AnyAggregateRule } from '../../engine/rules/aggregate/aggregate-rule-shape.ts';
import { runRule } from '../../engine/testing/run-rule.ts';
import { z } from 'zod';

const failure = (minute: number, actor = 'kStolen1CNTRL') => ({
  eventTime: `2026-07-29T08:${String(minute).padStart(2, '0')}:00.000Z`,
  origin: 'CONFIG_API',
  actor: { id: actor, type: 'API_KEY', loginName: '', displayName: 'API key' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
  action: 'FAILED_REQUEST',
});

function burstRule(tests: AggregateRuleTest[]): AnyAggregateRule {
  return defineAggregateRule({
    id: 'Test.Failures',
    logTypes: ['Tailscale.Audit'],
    severity: 'LOW',
    options: z.object({ atLeast: z.number().default(3) }),
    aggregate: (o) => ({ measure: 'count', windowMinutes: 5, atLeast: o.atLeast }),
    contributions: (e, _o, emit) => {
      if (e.event.action === 'FAILED_REQUEST') emit(e.event.actor.id, 1, e.event.target.property ?? '?');
    },
    title: (c) => `${c.value} failures by ${c.group}`,
    tests,
  }) as AnyAggregateRule;
}

describe('aggregate inline tests', () => {
  it('pass when the sequence alerts as expected, asserting the first alert', () => {
    const rule = burstRule([
      { name: 'burst', expected: true, alerts: 1, title: '3 failures by kStolen1CNTRL', dedup: 'kStolen1CNTRL', severity: 'LOW', alertContext: { value: 3 }, logs: [failure(0), failure(1), failure(2)] },
      { name: 'spread', expected: false, logs: [failure(0), failure(6), failure(12)] },
    ]);
    expect(runRuleTests(rule).map((r) => [r.name, r.passed, r.failures])).toEqual([
      ['burst', true, []],
      ['spread', true, []],
    ]);
  });

  it('report each mismatch with expected and actual', () => {
    const rule = burstRule([
      { name: 'wrong title', expected: true, title: 'nope', severity: 'HIGH', logs: [failure(0), failure(1), failure(2)] },
      { name: 'wrong count', expected: true, alerts: 2, logs: [failure(0), failure(1), failure(2)] },
      { name: 'unexpected alert', expected: false, logs: [failure(0), failure(1), failure(2)] },
      { name: 'missing alert', expected: true, logs: [failure(0)] },
      { name: 'bad options', expected: true, options: { atLeast: 'x' }, logs: [failure(0)] },
      { name: 'bad window', expected: true, options: { atLeast: -1 }, logs: [failure(0)] },
      { name: 'bad log', expected: true, logs: [{ nothing: true }] },
    ]);
    const results = Object.fromEntries(runRuleTests(rule).map((r) => [r.name, r.failures.join('\n')]));
    expect(results['wrong title']).toBe('title: expected "nope", actual "3 failures by kStolen1CNTRL"\nseverity: expected "HIGH", actual "LOW"');
    expect(results['wrong count']).toBe('expected: 2 alert(s), actual: 1 (kStolen1CNTRL)');
    expect(results['unexpected alert']).toBe('expected: no alert, actual: 1 alert(s) (3 failures by kStolen1CNTRL)');
    expect(results['missing alert']).toBe('expected: an alert, actual: no alert');
    expect(results['bad options']).toMatch(/^options: invalid options for rule Test\.Failures/);
    expect(results['bad window']).toMatch(/^window: Test\.Failures: invalid aggregate window/);
    expect(results['bad log']).toMatch(/^log #0 does not parse/);
  });

  it('runRule keeps the final event count of a merged alert', () => {
    const rule = burstRule([]);
    const logs = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((m) => failure(m));
    const run = runRule(rule, logs);
    // Every window ending at minutes 2..8 crosses: seven matches, one alert in the 60-minute dedup period.
    expect(run.matches).toHaveLength(7);
    expect(run.alerts).toHaveLength(1);
    expect(run.alerts[0]).toMatchObject({ eventCount: 7, firstEventTime: '2026-07-29T08:02:00.000Z', lastEventTime: '2026-07-29T08:08:00.000Z' });
  });

  it('builds alert fields like per-event rules: an empty title falls back to the display name', () => {
    const rule = { ...burstRule([]), displayName: 'Failed request burst', title: () => '' };
    const [alert] = runRule(rule, [failure(0), failure(1), failure(2)]).created;
    expect(alert?.title).toBe('Failed request burst');
    expect(alert?.dedup).toBe('kStolen1CNTRL');
  });
});
