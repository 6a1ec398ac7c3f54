// `run` snapshots aggregate windows as JSON: a restored rule set continues exactly as if it had never stopped.
import { describe, expect, it } from 'vitest';
import { AggregateRuleSet } from '../../engine/rules/aggregate/aggregate-rule-set.ts';
import type { AggregateState } from '../../engine/rules/aggregate/aggregate-rule-set.ts';
import { defineAggregateRule } from '../../engine/rules/aggregate/define-aggregate-rule.ts';
import type { AnyAggregateRule } from '../../engine/rules/aggregate/aggregate-rule-shape.ts';
import type { AlertMatch } from '../../engine/alerts/alert-match.ts';
import { at, evaluateSet, LATENESS_MS } from './helpers.ts';
import type { Part } from './helpers.ts';

const parts = (event: unknown): Part[] => (event as { parts: Part[] }).parts;
const contributions = (e: unknown, _o: unknown, emit: (g: string, a: number, c: string, i?: string) => void) => {
  for (const [group, amount, contributor, item] of parts(e)) emit(group, amount, contributor, item);
};

const volume = defineAggregateRule({
  id: 'Test.Volume',
  logTypes: ['Tailscale.Network'],
  severity: 'LOW',
  aggregate: { measure: 'sum', windowMinutes: 15, atLeast: 1000, baseline: { factor: 3, hours: 2 } },
  contributions,
  title: (c) => `${c.value} to ${c.group}`,
}) as AnyAggregateRule;
const fanout = defineAggregateRule({
  id: 'Test.Fanout',
  logTypes: ['Tailscale.Network'],
  severity: 'LOW',
  aggregate: { measure: 'distinct', windowMinutes: 10, atLeast: 8 },
  contributions,
  title: (c) => `${c.value} from ${c.group}`,
}) as AnyAggregateRule;
const rules = [
  { rule: volume, options: {} },
  { rule: fanout, options: {} },
];

function events(): [number, Part[]][] {
  const list: [number, Part[]][] = [];
  for (let i = 0; i < 3000; i++) {
    const minute = Math.floor(i / 10);
    list.push([at(minute, i % 60), [[`dst-${i % 7}`, (i * 37) % 150, `src-${i % 11}`, `item-${(i * 13) % 40}`]]]);
  }
  return list;
}

const evaluate = evaluateSet;

describe('aggregate state snapshots', () => {
  it('continue after a JSON round trip exactly as without the interruption', () => {
    const all = events();
    const settled: AlertMatch[] = [];
    const uninterrupted = evaluate(new AggregateRuleSet(LATENESS_MS, rules), all, settled);
    expect(uninterrupted.length).toBeGreaterThan(5);
    expect(settled.length).toBeGreaterThan(5);

    const first = new AggregateRuleSet(LATENESS_MS, rules);
    const settledAcross: AlertMatch[] = [];
    const before = evaluate(first, all.slice(0, 1777), settledAcross);
    const saved = JSON.parse(JSON.stringify(first.exportState())) as AggregateState;
    // Crossings found before the snapshot and settled after it keep their event through the JSON round trip.
    expect(Object.values(saved).some((rule) => rule.pending.length > 0)).toBe(true);
    const restored = new AggregateRuleSet(LATENESS_MS, rules);
    restored.importState(saved);
    const after = evaluate(restored, all.slice(1777), settledAcross);
    expect([...before, ...after]).toEqual(uninterrupted);
    expect(settledAcross).toEqual(settled);
  });

  it('start empty when the state is empty or the rule changed since', () => {
    const first = new AggregateRuleSet(LATENESS_MS, rules);
    evaluate(first, events().slice(0, 500));
    const saved = first.exportState();
    expect(saved['Test.Volume']?.groups.length).toBe(7);

    const changed = new AggregateRuleSet(LATENESS_MS, [{ rule: { ...volume, aggregate: { measure: 'sum', windowMinutes: 20, atLeast: 1000 } } as AnyAggregateRule, options: {} }]);
    changed.importState(saved);
    expect(changed.exportState()['Test.Volume']?.groups).toEqual([]);
    first.importState({});
    expect(first.stats()['Test.Volume']?.liveGroups).toBe(0);
  });
});
