import { describe, expect, it } from 'vitest';
import { AggregateRuleSet } from '../../engine/rules/aggregate/aggregate-rule-set.ts';
import { defineAggregateRule } from '../../engine/rules/aggregate/define-aggregate-rule.ts';
import type { AnyAggregateRule } from '../../engine/rules/aggregate/aggregate-rule-shape.ts';
import { RuleLoadError } from '../../engine/errors.ts';
import { z } from 'zod';
import { at, evaluateSet, LATENESS_MS } from './helpers.ts';
import type { Part } from './helpers.ts';

const parts = (event: unknown): Part[] => (event as { parts: Part[] }).parts;

const volume = defineAggregateRule({
  id: 'Test.Volume',
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 30,
  tags: ['Test'],
  reports: { 'MITRE ATT&CK': ['TA0010:T1048'] },
  description: 'volume',
  runbook: 'look',
  reference: 'https://example.com',
  options: z.object({ atLeastBytes: z.number().default(100) }),
  aggregate: (o) => ({ measure: 'sum', windowMinutes: 5, atLeast: o.atLeastBytes }),
  contributions: (e, _o, emit) => {
    for (const [group, amount, contributor] of parts(e)) emit(group, amount, contributor);
  },
  title: (c) => `${c.value} bytes to ${c.group}`,
  alertContext: (c) => ({ extra: c.group.toUpperCase() }),
});

const evaluate = evaluateSet;

describe('AggregateRuleSet', () => {
  it('turns a crossing into a RULE match with the standard context, the group as dedup and the rule metadata', () => {
    const set = new AggregateRuleSet(LATENESS_MS, [{ rule: volume as AnyAggregateRule, options: { atLeastBytes: 100 } }]);
    const matches = evaluate(set, [[at(0), [['10.0.0.1', 60, 'a']]], [at(1), [['10.0.0.1', 50, 'b']]]]);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toEqual({
      eventTimeMs: at(1),
      tailnet: 'default',
      ruleLogTypes: ['Tailscale.Network'],
      dedupPeriodMinutes: 30,
      threshold: 1,
      group: '10.0.0.1',
      tieKey: '10.0.0.1',
      settleMs: 60_000,
      alert: {
        type: 'RULE',
        ruleId: 'Test.Volume',
        severity: 'MEDIUM',
        title: '110 bytes to 10.0.0.1',
        dedup: '10.0.0.1',
        logTypes: ['Tailscale.Network'],
        alertContext: {
          tailnet: 'default',
          group: '10.0.0.1',
          measure: 'sum',
          value: 110,
          threshold: 100,
          windowMinutes: 5,
          windowStart: new Date(at(-3)).toISOString(),
          windowEnd: new Date(at(2)).toISOString(),
          topContributors: [
            { contributor: 'a', amount: 60 },
            { contributor: 'b', amount: 50 },
          ],
          extra: '10.0.0.1',
        },
        tags: ['Test'],
        reports: { 'MITRE ATT&CK': ['TA0010:T1048'] },
        description: 'volume',
        runbook: 'look',
        reference: 'https://example.com',
      },
    });
  });

  it('applies resolved options to the window', () => {
    const set = new AggregateRuleSet(LATENESS_MS, [{ rule: volume as AnyAggregateRule, options: { atLeastBytes: 1000 } }]);
    expect(evaluate(set, [[at(0), [['g', 999, 'a']]]])).toEqual([]);
  });

  it('ignores events of other log types and disabled rules', () => {
    const set = new AggregateRuleSet(LATENESS_MS, [{ rule: { ...volume, enabled: false } as AnyAggregateRule, options: { atLeastBytes: 1 } }]);
    expect(evaluate(set, [[at(0), [['g', 5, 'a']]]])).toEqual([]);
    const audit = new AggregateRuleSet(LATENESS_MS, [{ rule: { ...volume, logTypes: ['Tailscale.Audit'] } as AnyAggregateRule, options: { atLeastBytes: 1 } }]);
    expect(evaluate(audit, [[at(0), [['g', 5, 'a']]]])).toEqual([]);
  });

  it('turns a throwing contributions() or title() into a RULE_ERROR match and goes on', () => {
    const throwing = { ...volume, id: 'Test.Throws', contributions: () => { throw new RangeError('bad entry'); } } as AnyAggregateRule;
    const badTitle = { ...volume, id: 'Test.Bad.Title', title: () => 42 } as unknown as AnyAggregateRule;
    const set = new AggregateRuleSet(LATENESS_MS, [
      { rule: throwing, options: { atLeastBytes: 1 } },
      { rule: badTitle, options: { atLeastBytes: 1 } },
      { rule: volume as AnyAggregateRule, options: { atLeastBytes: 1 } },
    ]);
    const matches = evaluate(set, [[at(0), [['g', 5, 'a']]]]);
    expect(matches.map((m) => [m.alert.type, m.alert.ruleId, m.alert.title])).toEqual([
      ['RULE_ERROR', 'Test.Throws', 'Error in rule Test.Throws: bad entry'],
      ['RULE_ERROR', 'Test.Bad.Title', 'Error in rule Test.Bad.Title: title() returned number 42, expected a string'],
      ['RULE', 'Test.Volume', '5 bytes to g'],
    ]);
    expect(matches[0]?.alert).toMatchObject({ dedup: 'RangeError:bad entry', alertContext: { function: 'contributions' }, error: { name: 'RangeError' } });
  });

  it('keeps the windows of unchanged rules across an update, and resets changed ones', () => {
    const loaded = { rule: volume as AnyAggregateRule, options: { atLeastBytes: 100 } };
    const set = new AggregateRuleSet(LATENESS_MS, [loaded]);
    evaluate(set, [[at(0), [['g', 60, 'a']]]]);
    set.update([{ ...loaded }]);
    expect(evaluate(set, [[at(1), [['g', 60, 'a']]]])).toHaveLength(1);
    set.update([{ rule: volume as AnyAggregateRule, options: { atLeastBytes: 101 } }]);
    expect(evaluate(set, [[at(2), [['g', 60, 'a']]]])).toEqual([]);
    expect(set.stats()['Test.Volume']).toMatchObject({ events: 1, contributions: 1, liveGroups: 1 });
  });

  it('fails to load a rule whose window is invalid after options, naming the rule', () => {
    expect(() => new AggregateRuleSet(LATENESS_MS, [{ rule: volume as AnyAggregateRule, options: { atLeastBytes: -1 } }])).toThrow(RuleLoadError);
    expect(() => new AggregateRuleSet(LATENESS_MS, [{ rule: volume as AnyAggregateRule, options: { atLeastBytes: -1 } }])).toThrow(/Test\.Volume: invalid aggregate window/);
  });
});
