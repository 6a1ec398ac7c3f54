// First-seen rules through the real Evaluator: first sightings become alerts, value() errors become RULE_ERROR
// alerts, learn() primes without alerting, snapshots carry the values, and a hot reload keeps them while unchanged.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import { defineFirstSeenRule } from '../../engine/rules/first-seen/define-first-seen-rule.ts';
import type { AnyFirstSeenRule } from '../../engine/rules/first-seen/first-seen-rule-shape.ts';
import { FirstSeenRuleShape } from '../../engine/rules/first-seen/first-seen-rule-shape.ts';
import { auditEvent } from '../rules/events.ts';

const MINUTES_PER_DAY = 1440;
const newOrigin = defineFirstSeenRule({
  id: 'Test.New.Origin',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  firstSeen: { horizonDays: 14, learningDays: 1 },
  value: (e) => (String(e.event.origin) === 'BROKEN' ? ({ group: 1 } as never) : { group: e.event.actor.loginName ?? e.event.actor.id, value: [e.event.origin ?? '?', e.event.action] }),
  title: (s) => `${s.group} used ${s.value.join('/')} first`,
}) as unknown as AnyFirstSeenRule;
const loaded = (rule: AnyFirstSeenRule = newOrigin): LoadedRule => ({ rule, options: {}, file: '' });

const at = (day: number, origin: string, login = 'alice@example.com') =>
  auditEvent(day * MINUTES_PER_DAY, { origin, actor: { id: `u-${login}`, type: 'USER', loginName: login }, eventGroupID: `g${day}${origin}${login}` });
const stream = [at(0, 'ADMIN_CONSOLE'), at(0.5, 'CONFIG_API'), at(2, 'ADMIN_CONSOLE'), at(3, 'SCIM'), at(3.5, 'SCIM', 'bob@example.com'), at(20, 'CONFIG_API'), at(21, 'NODE')];

function created(evaluator: Evaluator, events: typeof stream): Alert[] {
  const alerts: Alert[] = [];
  for (const event of events) alerts.push(...evaluator.process(event).created);
  return alerts;
}

describe('first-seen rules in the evaluator', () => {
  it('is a valid rule of its kind', () => {
    expect(FirstSeenRuleShape.safeParse(newOrigin).success).toBe(true);
  });

  it('alerts on first sightings after the learning period, with the standard context', () => {
    const alerts = created(new Evaluator([loaded()]), stream);
    expect(alerts.map((alert) => alert.title)).toEqual([
      'alice@example.com used SCIM/DISABLE first',
      'bob@example.com used SCIM/DISABLE first',
      'alice@example.com used CONFIG_API/DISABLE first',
      'alice@example.com used NODE/DISABLE first',
    ]);
    expect(alerts[0]).toMatchObject({ dedup: 'alice@example.com: SCIM DISABLE', alertContext: { group: 'alice@example.com', value: ['SCIM', 'DISABLE'], horizonDays: 14 } });
    // CONFIG_API was learned on day 0.5 and not seen for more than 14 days.
    expect(alerts[2]?.alertContext).toMatchObject({ lastSeen: '2026-06-04T03:00:00.000Z' });
  });

  it('turns a value() that returns the wrong shape into a RULE_ERROR alert', () => {
    const alerts = created(new Evaluator([loaded()]), [at(0, 'BROKEN')]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'RULE_ERROR', ruleId: 'Test.New.Origin', alertContext: { function: 'value' } });
  });

  it('learns from primed events without alerting or moving windows (replay --learn-from)', () => {
    const evaluator = new Evaluator([loaded()]);
    for (const event of stream.slice(0, 5)) evaluator.learn(event, Date.parse(event.p_event_time));
    expect(evaluator.exportState().watermarks).toEqual([]);
    expect(evaluator.stats().firstSeen['Test.New.Origin']).toMatchObject({ observations: 5, learned: 4, firstSeen: 0, values: 4 });
    expect(created(evaluator, stream.slice(5)).map((alert) => alert.title)).toEqual(['alice@example.com used CONFIG_API/DISABLE first', 'alice@example.com used NODE/DISABLE first']);
  });

  it('continues from a JSON snapshot as if never stopped; a hot reload keeps values only while the rule is unchanged', () => {
    const all = created(new Evaluator([loaded()]), stream);
    const first = new Evaluator([loaded()]);
    const before = created(first, stream.slice(0, 4));
    const restored = new Evaluator([loaded()]);
    restored.restoreState(JSON.parse(JSON.stringify(first.exportState())));
    expect([...before, ...created(restored, stream.slice(4))]).toEqual(all);

    const reloaded = new Evaluator([loaded()]);
    created(reloaded, stream.slice(0, 3));
    reloaded.setRules([loaded()]);
    expect(reloaded.stats().firstSeen['Test.New.Origin']?.values).toBe(2);
    // A reload with an invalid window changes nothing: the values are kept.
    expect(() => reloaded.setRules([loaded({ ...newOrigin, firstSeen: { horizonDays: 0, learningDays: 1 } })])).toThrow(/invalid firstSeen window/);
    expect(reloaded.stats().firstSeen['Test.New.Origin']?.values).toBe(2);
    reloaded.setRules([loaded({ ...newOrigin })]);
    expect(reloaded.stats().firstSeen['Test.New.Origin']?.values).toBe(0);
  });
});
