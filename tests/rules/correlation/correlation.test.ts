import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../engine/alerts/alert.ts';
import type { Signal } from '../../../engine/alerts/signal.ts';
import { correlationStep } from '../../../engine/rules/correlation/define-correlation-rule.ts';
import { Evaluator } from '../../../engine/rules/evaluator.ts';
import type { LoadedRule } from '../../../engine/rules/load-rules.ts';
import { parsed } from '../events.ts';
import {
  correlation, fanout, fanoutStep, flowLoggingOff, grant, grantStep, grantThenLoggingOff, loaded, loggingOff, loggingStep, nodeAdded, nodeCreated,
  nodeStep, roleGranted, sshFlow, tick,
} from './rules.ts';

interface Run {
  created: Alert[];
  closed: Alert[];
  signals: Signal[];
}

function run(rules: LoadedRule[], records: Record<string, unknown>[], evaluator = new Evaluator(rules)): Run {
  const out: Run = { created: [], closed: [], signals: [] };
  for (const record of records) {
    const changes = evaluator.process(parsed(record));
    out.created.push(...changes.created);
    out.closed.push(...changes.closed);
    out.signals.push(...changes.signals);
  }
  const flushed = evaluator.flush();
  out.created.push(...flushed.created);
  out.closed.push(...flushed.closed);
  return out;
}

const ofRule = (alerts: Alert[], ruleId: string) => alerts.filter((alert) => alert.ruleId === ruleId);
const rules = loaded(roleGranted, flowLoggingOff, grantThenLoggingOff);

describe('signals', () => {
  it('are recorded with their event and raise no alert', () => {
    const result = run(rules, [grant(0, 'uBob')]);
    expect(result.created).toEqual([]);
    expect(result.signals).toHaveLength(1);
    expect(result.signals[0]).toMatchObject({ ruleId: 'Test.Role.Granted', title: 'role granted to uBob', eventTime: '2026-06-03T15:00:00.000Z' });
    expect(result.signals[0]?.event.event).toMatchObject({ target: { id: 'uBob' } });
  });

  it('have the same id in every run of the same record', () => {
    const [a] = run(rules, [grant(0, 'uBob')]).signals;
    const [b] = run(rules, [grant(0, 'uBob')]).signals;
    expect(a?.signalId).toMatch(/^[0-9a-f]{32}$/);
    expect(a?.signalId).toBe(b?.signalId);
  });
});

describe('sequence', () => {
  it('fires on A then B for the same key within the window, with the chain', () => {
    const result = run(rules, [grant(0, 'uBob'), loggingOff(20, 'uBob'), tick(40)]);
    const [alert] = ofRule(result.created, grantThenLoggingOff.id);
    expect(alert?.title).toBe('sequence on user uBob: Test.Role.Granted → Test.Flow.Logging.Off');
    expect(alert?.dedup).toBe('user:uBob');
    expect(alert?.alertContext).toMatchObject({
      correlation: 'sequence',
      key: { type: 'user', value: 'uBob' },
      chain: [
        { step: 0, ruleId: 'Test.Role.Granted', eventTime: '2026-06-03T15:00:00.000Z', keys: { user: 'uBob' } },
        { step: 1, ruleId: 'Test.Flow.Logging.Off', eventTime: '2026-06-03T15:20:00.000Z', keys: { user: 'uBob' } },
      ],
    });
    expect(alert?.firstEventTime).toBe('2026-06-03T15:20:00.000Z');
  });

  it('waits for the allowed lateness past the last step before it fires', () => {
    const evaluator = new Evaluator(rules);
    evaluator.process(parsed(grant(0, 'uBob')));
    expect(ofRule([...evaluator.process(parsed(loggingOff(20, 'uBob'))).created], grantThenLoggingOff.id)).toEqual([]);
    expect(evaluator.process(parsed(tick(30))).created).toEqual([]);
    expect(ofRule([...evaluator.process(parsed(tick(31))).created], grantThenLoggingOff.id)).toHaveLength(1);
  });

  it('does not fire for B before A, B after the window, or another key', () => {
    expect(ofRule(run(rules, [loggingOff(0, 'uBob'), grant(5, 'uBob'), tick(90)]).created, grantThenLoggingOff.id)).toEqual([]);
    expect(ofRule(run(rules, [grant(0, 'uBob'), loggingOff(61, 'uBob'), tick(90)]).created, grantThenLoggingOff.id)).toEqual([]);
    expect(ofRule(run(rules, [grant(0, 'uBob'), loggingOff(20, 'uCarol'), tick(90)]).created, grantThenLoggingOff.id)).toEqual([]);
  });

  it('gives the same alert whatever the arrival order within the allowed lateness', () => {
    const inOrder = run(rules, [grant(0, 'uBob'), grant(3, 'uBob'), loggingOff(5, 'uBob'), tick(40)]);
    const shuffled = run(rules, [loggingOff(5, 'uBob'), grant(3, 'uBob'), grant(0, 'uBob'), tick(40)]);
    expect(ofRule(shuffled.closed, grantThenLoggingOff.id)).toEqual(ofRule(inOrder.closed, grantThenLoggingOff.id));
    expect(ofRule(inOrder.closed, grantThenLoggingOff.id)[0]?.alertContext.chain).toMatchObject([{ eventTime: '2026-06-03T15:03:00.000Z' }, {}]);
  });

  it('drops and counts a step later than the allowed lateness', () => {
    const evaluator = new Evaluator(rules);
    const result = run(rules, [tick(30), grant(0, 'uBob'), loggingOff(31, 'uBob'), tick(60)], evaluator);
    expect(ofRule(result.created, grantThenLoggingOff.id)).toEqual([]);
    expect(evaluator.stats().correlations[grantThenLoggingOff.id]).toMatchObject({ lateHits: 1 });
  });

  it('joins three steps on keys that differ per step, across log types', () => {
    const chain = correlation(
      'Test.Node.Then.Fanout',
      {
        type: 'sequence',
        steps: [grantStep, nodeStep, fanoutStep],
        on: ['user', 'node'],
        withinMinutes: 30,
      },
      ['Tailscale.Audit', 'Tailscale.Network'],
    );
    const all = loaded(roleGranted, nodeAdded, fanout, chain);
    const result = run(all, [grant(0, 'uBob'), nodeCreated(2, 'nNew', 'uBob'), sshFlow(5, 'nOther', 1), sshFlow(10, 'nNew', 3), sshFlow(30, 'nOther', 1), tick(30)]);
    const [alert] = ofRule(result.created, chain.id);
    expect(alert?.title).toBe('sequence on node nNew: Test.Role.Granted → Test.Node.Created → Test.SSH.Fanout');
    expect(alert?.logTypes).toEqual(['Tailscale.Audit', 'Tailscale.Network']);
    // The fan-out is a signal, and so is the node: they raised no alert of their own.
    expect(result.created.map((a) => a.ruleId)).toEqual([chain.id]);
    const wrongUser = run(all, [grant(0, 'uBob'), nodeCreated(2, 'nNew', 'uMallory'), sshFlow(10, 'nNew', 3), sshFlow(30, 'nOther', 1), tick(30)]);
    expect(ofRule(wrongUser.created, chain.id)).toEqual([]);
  });

  it('holds a step to withinMinutesOfPrevious after the previous one, inside the whole window', () => {
    const chain = correlation(
      'Test.Grant.Node.Soon.Fanout',
      {
        type: 'sequence',
        steps: [grantStep, nodeStep, { ...fanoutStep, withinMinutesOfPrevious: 10 }],
        on: ['user', 'node'],
        withinMinutes: 120,
      },
      ['Tailscale.Audit', 'Tailscale.Network'],
    );
    const all = loaded(roleGranted, nodeAdded, fanout, chain);
    // The grant an hour before the node still counts; the fan-out must come within 10 minutes of the node.
    const soon = run(all, [grant(0, 'uBob'), nodeCreated(60, 'nNew', 'uBob'), sshFlow(68, 'nNew', 3), sshFlow(90, 'nOther', 1), tick(90)]);
    expect(ofRule(soon.created, chain.id).map((alert) => alert.dedup)).toEqual(['node:nNew']);
    const late = run(all, [grant(0, 'uBob'), nodeCreated(60, 'nNew', 'uBob'), sshFlow(75, 'nNew', 3), sshFlow(100, 'nOther', 1), tick(100)]);
    expect(ofRule(late.created, chain.id)).toEqual([]);
  });

  it('advances on the slowest watermark of the log types it joins', () => {
    const chain = correlation('Test.Cross', { type: 'sequence', steps: [grantStep, loggingStep], on: 'user', withinMinutes: 60 }, ['Tailscale.Audit', 'Tailscale.Network']);
    const evaluator = new Evaluator(loaded(roleGranted, flowLoggingOff, chain));
    evaluator.process(parsed(sshFlow(0, 'nA', 1)));
    evaluator.process(parsed(grant(1, 'uBob')));
    evaluator.process(parsed(loggingOff(2, 'uBob')));
    // Audit is well past the lateness, but the network watermark is still at minute 0.
    expect(evaluator.process(parsed(tick(50))).created).toEqual([]);
    expect(evaluator.process(parsed(sshFlow(13, 'nA', 1))).created.map((a) => a.ruleId)).toEqual(['Test.Cross']);
  });
});

describe('absence', () => {
  const approvedNotTagged = correlation('Test.Grant.Without.Logging', { type: 'absence', steps: [grantStep, loggingStep], on: 'user', withinMinutes: 30 });
  const absenceRules = loaded(roleGranted, flowLoggingOff, approvedNotTagged);

  it('fires once the watermark passes the window and the lateness with no second step', () => {
    const evaluator = new Evaluator(absenceRules);
    evaluator.process(parsed(grant(0, 'uBob')));
    expect(evaluator.process(parsed(tick(40))).created).toEqual([]);
    const [alert] = evaluator.process(parsed(tick(41))).created;
    expect(alert).toMatchObject({ ruleId: approvedNotTagged.id, dedup: 'user:uBob', firstEventTime: '2026-06-03T15:30:00.000Z' });
    expect(alert?.alertContext.chain).toMatchObject([{ ruleId: 'Test.Role.Granted', eventTime: '2026-06-03T15:00:00.000Z' }]);
  });

  it('does not fire when the second step follows, even out of order, or before the window has ended', () => {
    expect(ofRule(run(absenceRules, [grant(0, 'uBob'), loggingOff(29, 'uBob'), tick(60)]).created, approvedNotTagged.id)).toEqual([]);
    expect(ofRule(run(absenceRules, [loggingOff(5, 'uBob'), grant(0, 'uBob'), tick(60)]).created, approvedNotTagged.id)).toEqual([]);
    expect(ofRule(run(absenceRules, [grant(0, 'uBob'), tick(20)]).created, approvedNotTagged.id)).toEqual([]);
    expect(ofRule(run(absenceRules, [grant(0, 'uBob'), loggingOff(29, 'uCarol'), tick(60)]).created, approvedNotTagged.id)).toHaveLength(1);
  });
});

describe('distinct', () => {
  const severityRule = (id: string, property: string) => ({ ...flowLoggingOff, id, rule: (e: { event: { target: { property?: string } } }) => e.event.target.property === property, signal: true });
  const inputs = ['MAGIC_DNS', 'HTTPS', 'TKA'].map((property, i) => severityRule(`Test.Off.${i}`, property));
  const offOn = (minute: number, property: string) => ({ ...loggingOff(minute, 'uMallory'), target: { id: 'example.com', type: 'TAILNET', property } });
  const threeRules = correlation('Test.Three.Things', {
    type: 'distinct',
    steps: [correlationStep({ rules: ['Test.Off.*'], logType: 'Tailscale.Audit', minSeverity: 'HIGH', keys: { user: (e) => e.event.actor.id } })],
    on: 'user',
    atLeast: 3,
    withinMinutes: 60,
  });
  const distinctRules = loaded(...(inputs as LoadedRule['rule'][]), threeRules);

  it('fires when enough different rules matched for one entity within the window', () => {
    const result = run(distinctRules, [offOn(0, 'MAGIC_DNS'), offOn(10, 'MAGIC_DNS'), offOn(20, 'HTTPS'), offOn(30, 'TKA'), tick(60)]);
    const [alert] = ofRule(result.created, threeRules.id);
    expect(alert?.dedup).toBe('user:uMallory');
    expect((alert?.alertContext.chain as { ruleId: string }[]).map((link) => link.ruleId)).toEqual(['Test.Off.0', 'Test.Off.1', 'Test.Off.2']);
  });

  it('does not fire for the same rule many times, or rules spread past the window', () => {
    expect(ofRule(run(distinctRules, [offOn(0, 'MAGIC_DNS'), offOn(10, 'MAGIC_DNS'), offOn(20, 'MAGIC_DNS'), offOn(30, 'HTTPS'), tick(60)]).created, threeRules.id)).toEqual([]);
    expect(ofRule(run(distinctRules, [offOn(0, 'MAGIC_DNS'), offOn(40, 'HTTPS'), offOn(70, 'TKA'), tick(100)]).created, threeRules.id)).toEqual([]);
  });
});

describe('state', () => {
  it('survives a snapshot and restore mid-stream exactly', () => {
    const records = [grant(0, 'uBob'), grant(1, 'uCarol'), loggingOff(20, 'uBob'), loggingOff(25, 'uCarol'), tick(40), grant(50, 'uDan'), loggingOff(70, 'uDan'), tick(100)];
    const straight = run(rules, records);
    for (let cut = 1; cut < records.length; cut++) {
      const killed = new Evaluator(rules);
      const head: Alert[] = [];
      for (const record of records.slice(0, cut)) head.push(...killed.process(parsed(record)).created);
      const resumed = new Evaluator(rules);
      resumed.restoreState(JSON.parse(JSON.stringify(killed.exportState())));
      const tail = run(rules, records.slice(cut), resumed);
      expect([...head, ...tail.created].map((a) => [a.alertId, a.title])).toEqual(straight.created.map((a) => [a.alertId, a.title]));
    }
  });

  it('forgets a sequence’s last steps once evaluated, so a busy last-step signal leaves only the earlier steps held', () => {
    const chain = correlation('Test.Held', { type: 'sequence', steps: [grantStep, nodeStep, fanoutStep], on: ['user', 'node'], withinMinutes: 600 }, ['Tailscale.Audit', 'Tailscale.Network']);
    const evaluator = new Evaluator(loaded(roleGranted, nodeAdded, fanout, chain));
    const busy = Array.from({ length: 30 }, (_, i) => sshFlow(2 + i, 'nBusy', 3));
    for (const record of [grant(0, 'uBob'), nodeCreated(1, 'nNew', 'uBob'), ...busy, tick(90), sshFlow(90, 'nOther', 1)]) evaluator.process(parsed(record));
    const stats = evaluator.stats().correlations[chain.id]!;
    expect(stats.hits).toBeGreaterThanOrEqual(32);
    expect(stats.liveHits).toBe(2);
    // The key and the node still join a fan-out of the new node.
    evaluator.process(parsed(sshFlow(95, 'nNew', 3)));
    evaluator.process(parsed(sshFlow(120, 'nOther', 1)));
    expect(ofRule([...evaluator.process(parsed(tick(120))).created], chain.id).map((alert) => alert.dedup)).toEqual(['node:nNew']);
  });

  it('keeps an unchanged correlation rule’s hits across a hot reload', () => {
    const evaluator = new Evaluator(rules);
    evaluator.process(parsed(grant(0, 'uBob')));
    evaluator.setRules(loaded(roleGranted, flowLoggingOff, grantThenLoggingOff).map((l, i) => (i === 2 ? rules[2]! : l)));
    evaluator.process(parsed(loggingOff(20, 'uBob')));
    expect(ofRule([...evaluator.process(parsed(tick(40))).created], grantThenLoggingOff.id)).toHaveLength(1);
  });

  it('rejects an invalid correlation at load, naming the rule and the problem', () => {
    const bad = correlation('Test.Bad', { type: 'sequence', steps: [grantStep], on: 'user', withinMinutes: 60 });
    expect(() => new Evaluator(loaded(bad))).toThrow(/rule Test.Bad: invalid correlation: a sequence has 2 to 5 steps, got 1/);
    const noKey = correlation('Test.No.Key', { type: 'sequence', steps: [grantStep, loggingStep], on: 'node', withinMinutes: 60 });
    expect(() => new Evaluator(loaded(noKey))).toThrow(/step 1: joins on node but has no node key function/);
    const firstGap = correlation('Test.First.Gap', { type: 'sequence', steps: [{ ...grantStep, withinMinutesOfPrevious: 5 }, loggingStep], on: 'user', withinMinutes: 60 });
    expect(() => new Evaluator(loaded(firstGap))).toThrow(/step 1: withinMinutesOfPrevious applies to sequence steps after the first/);
    const wideGap = correlation('Test.Wide.Gap', { type: 'sequence', steps: [grantStep, { ...loggingStep, withinMinutesOfPrevious: 90 }], on: 'user', withinMinutes: 60 });
    expect(() => new Evaluator(loaded(wideGap))).toThrow(/step 2: withinMinutesOfPrevious must be above 0 and at most withinMinutes \(60\), got 90/);
  });
});
