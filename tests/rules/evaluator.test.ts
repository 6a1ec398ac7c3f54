import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { defineAggregateRule } from '../../engine/rules/aggregate/define-aggregate-rule.ts';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import type { TailscaleEvent } from '../../engine/schemas/log-types.ts';
import { auditEvent, networkRecord, parsed } from './events.ts';

const loaded = (...rules: LoadedRule['rule'][]): LoadedRule[] => rules.map((rule) => ({ rule, options: {}, file: `${rule.id}.ts` }));

const disabledDns = defineRule({
  id: 'Test.DNS.Disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  rule: (e) => e.event.action === 'DISABLE',
  title: (e) => `${e.event.actor.loginName} disabled ${e.event.target.property}`,
});

function replay(evaluator: Evaluator, events: TailscaleEvent[]): { created: Alert[]; closed: Alert[] } {
  const out = { created: [] as Alert[], closed: [] as Alert[] };
  for (const event of events) {
    const changes = evaluator.process(event);
    out.created.push(...changes.created);
    out.closed.push(...changes.closed);
  }
  out.closed.push(...evaluator.flush().closed);
  return out;
}

describe('Evaluator', () => {
  it('runs only the enabled rules of the event log type', () => {
    const network = defineRule({ id: 'Test.Any.Flow', logTypes: ['Tailscale.Network'], severity: 'LOW', rule: () => true });
    const disabled = defineRule({ ...disabledDns, id: 'Test.Off', enabled: false });
    const evaluator = new Evaluator(loaded(disabledDns, network, disabled));
    expect(evaluator.process(auditEvent(0)).created.map((a) => a.ruleId)).toEqual(['Test.DNS.Disabled']);
    expect(evaluator.process(parsed(networkRecord(1))).created.map((a) => a.ruleId)).toEqual(['Test.Any.Flow']);
    expect(evaluator.stats()).toMatchObject({ events: 2, matches: { 'Test.DNS.Disabled': 1, 'Test.Any.Flow': 1 }, alertsCreated: 2 });
  });

  it('dedups on event time and emits the final count as a revision once the window has settled', () => {
    const evaluator = new Evaluator(loaded(disabledDns));
    const first = evaluator.process(auditEvent(0));
    expect(first.created).toHaveLength(1);
    expect(evaluator.process(auditEvent(30)).created).toEqual([]);
    const other = evaluator.process(auditEvent(45, { action: 'CREATE' }));
    expect(other).toEqual({ created: [], revised: [], closed: [], signals: [], events: [], matched: [] });
    const next = evaluator.process(auditEvent(61));
    expect(next.created).toHaveLength(1);
    expect(next.closed).toEqual([]);
    // The window [15:00, 16:00) settles once the watermark passes 16:00 + 10 minutes of allowed lateness.
    const settled = evaluator.process(auditEvent(70, { action: 'CREATE' }));
    const final = { ...first.created[0], revision: 2, eventCount: 2, lastEventTime: '2026-06-03T15:30:00.000Z' };
    expect(settled).toEqual({ created: [], revised: [final], closed: [final], signals: [], events: [], matched: [] });
    expect(evaluator.flush().closed.map((a) => a.eventCount)).toEqual([1]);
  });

  it('closes windows on the watermark of their own log type and tailnet', () => {
    const evaluator = new Evaluator(loaded(disabledDns));
    evaluator.process(auditEvent(0));
    expect(evaluator.process(parsed(networkRecord(200))).closed).toEqual([]);
    expect(evaluator.process(auditEvent(70, { action: 'CREATE' })).closed.map((a) => a.ruleId)).toEqual(['Test.DNS.Disabled']);
  });

  it('waits for the threshold within one dedup period', () => {
    const evaluator = new Evaluator(loaded({ ...disabledDns, threshold: 3 }));
    const { created, closed } = replay(evaluator, [0, 10, 20, 30, 100, 170].map((m) => auditEvent(m)));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ eventCount: 3, firstEventTime: '2026-06-03T15:00:00.000Z', lastEventTime: '2026-06-03T15:20:00.000Z' });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ eventCount: 4, lastEventTime: '2026-06-03T15:30:00.000Z' });
  });

  it('keeps evaluating other rules when one throws, and alerts on the error without threshold', () => {
    const throwing = defineRule({
      id: 'Test.Throws',
      logTypes: ['Tailscale.Audit'],
      severity: 'LOW',
      threshold: 5,
      rule: (e) => {
        if (e.event.origin === 'ADMIN_CONSOLE') throw new TypeError('cannot read origin');
        return false;
      },
    });
    const evaluator = new Evaluator(loaded(throwing, disabledDns));
    const changes = evaluator.process(auditEvent(0));
    expect(changes.created.map((a) => [a.type, a.ruleId])).toEqual([
      ['RULE_ERROR', 'Test.Throws'],
      ['RULE', 'Test.DNS.Disabled'],
    ]);
    expect(changes.created[0]).toMatchObject({ title: 'Error in rule Test.Throws: cannot read origin', dedup: 'TypeError:cannot read origin', eventCount: 1 });
    evaluator.process(auditEvent(1));
    expect(evaluator.stats().ruleErrors).toEqual({ 'Test.Throws': 2 });
    expect(evaluator.flush().closed.find((a) => a.type === 'RULE_ERROR')?.eventCount).toBe(2);
  });

  it('gives the same alerts and ids on every replay, and when the input is split across runs', () => {
    const events = [0, 5, 70, 75, 200].flatMap((m) => [auditEvent(m), auditEvent(m, { target: { id: 'other.com', type: 'TAILNET', property: 'HTTPS' } })]);
    const once = replay(new Evaluator(loaded(disabledDns)), events);
    const twice = replay(new Evaluator(loaded(disabledDns)), events);
    expect(twice).toEqual(once);
    expect(once.closed).toHaveLength(6);

    const first = new Evaluator(loaded(disabledDns));
    const head = { created: [] as Alert[], closed: [] as Alert[] };
    for (const event of events.slice(0, 5)) {
      const changes = first.process(event);
      head.created.push(...changes.created);
      head.closed.push(...changes.closed);
    }
    const resumed = new Evaluator(loaded(disabledDns));
    resumed.restoreState(JSON.parse(JSON.stringify(first.exportState())));
    const tail = replay(resumed, events.slice(5));
    expect([...head.created, ...tail.created]).toEqual(once.created);
    expect([...head.closed, ...tail.closed]).toEqual(once.closed);
  });

  it('keeps open windows across a rule reload', () => {
    const evaluator = new Evaluator(loaded(disabledDns));
    evaluator.process(auditEvent(0));
    evaluator.setRules(loaded({ ...disabledDns, severity: 'LOW' }));
    expect(evaluator.process(auditEvent(10)).created).toEqual([]);
    expect(evaluator.flush().closed).toMatchObject([{ eventCount: 2, severity: 'HIGH' }]);
  });

  it('reports every match to onMatch', () => {
    const matches: string[] = [];
    const evaluator = new Evaluator(loaded(disabledDns), { onMatch: (m) => matches.push(m.alert.dedup) });
    replay(evaluator, [auditEvent(0), auditEvent(1)]);
    expect(matches).toEqual(['alice@example.com disabled MAGIC_DNS', 'alice@example.com disabled MAGIC_DNS']);
  });

  it('runs aggregate rules beside per-event rules and feeds their crossings to the same alert windows', () => {
    const burst = defineAggregateRule({
      id: 'Test.Disable.Burst',
      logTypes: ['Tailscale.Audit'],
      severity: 'MEDIUM',
      aggregate: { measure: 'count', windowMinutes: 10, atLeast: 3 },
      contributions: (e, _o, emit) => {
        if (e.event.action === 'DISABLE') emit(e.event.actor.id, 1, e.event.target.property ?? '?');
      },
      title: (c) => `${c.value} disables by ${c.group}`,
    });
    const matches: string[] = [];
    const evaluator = new Evaluator(loaded(disabledDns, burst), { onMatch: (m) => matches.push(m.alert.ruleId) });
    const { created, closed } = replay(evaluator, [0, 1, 2, 3].map((m) => auditEvent(m)));
    expect(created.map((a) => [a.ruleId, a.title])).toEqual([
      ['Test.DNS.Disabled', 'alice@example.com disabled MAGIC_DNS'],
      ['Test.Disable.Burst', '3 disables by uAlice1CNTRL'],
    ]);
    expect(matches.filter((id) => id === 'Test.Disable.Burst').length).toBeGreaterThanOrEqual(1);
    expect(closed.map((a) => a.ruleId).sort()).toEqual(['Test.DNS.Disabled', 'Test.Disable.Burst']);
    expect(evaluator.stats().aggregates).toHaveProperty('Test.Disable.Burst');
  });
});
