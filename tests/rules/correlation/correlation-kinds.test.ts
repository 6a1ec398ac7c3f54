// Correlations together with the other kinds and with suppressions: a first-seen rule may be a step's input, a
// suppressed match (the user declared it expected) feeds no correlation, and a suppressed signal is stored as none.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../engine/alerts/alert.ts';
import type { Signal } from '../../../engine/alerts/signal.ts';
import { correlationStep } from '../../../engine/rules/correlation/define-correlation-rule.ts';
import { Evaluator } from '../../../engine/rules/evaluator.ts';
import { defineFirstSeenRule } from '../../../engine/rules/first-seen/define-first-seen-rule.ts';
import type { LoadedRule } from '../../../engine/rules/load-rules.ts';
import { entrySuppression } from '../../../engine/suppressions/suppression-entry.ts';
import type { SuppressionEntry } from '../../../engine/suppressions/suppression-entry.ts';
import { parsed } from '../events.ts';
import { correlation, flowLoggingOff, grant, grantThenLoggingOff, loaded, loggingOff, loggingStep, roleGranted, tick } from './rules.ts';

function run(rules: LoadedRule[], suppressions: SuppressionEntry[], records: Record<string, unknown>[]) {
  const evaluator = new Evaluator(rules);
  evaluator.setSuppressions(suppressions.map(entrySuppression));
  const created: Alert[] = [];
  const signals: Signal[] = [];
  for (const record of records) {
    const changes = evaluator.process(parsed(record));
    created.push(...changes.created);
    signals.push(...changes.signals);
  }
  created.push(...evaluator.flush().created);
  return { created, signals, stats: evaluator.stats() };
}

const suppress = (rules: string[], login: string): SuppressionEntry => ({
  id: 'expected-grants',
  rules,
  match: { user: login },
  reason: 'onboarding',
  owner: 'secops@example.com',
  permanent: true,
});
const chainOf = (alerts: Alert[], ruleId: string) => alerts.filter((alert) => alert.ruleId === ruleId);

describe('correlations with suppressions', () => {
  const rules = loaded(roleGranted, flowLoggingOff, grantThenLoggingOff);
  const records = [grant(0, 'uBob', 'uCarol'), loggingOff(20, 'uBob'), tick(40)];

  it('a suppressed signal is counted, stored as no signal and feeds no correlation', () => {
    const plain = run(rules, [], records);
    expect(plain.signals).toHaveLength(1);
    expect(chainOf(plain.created, grantThenLoggingOff.id)).toHaveLength(1);

    const suppressed = run(rules, [suppress(['Test.Role.Granted'], 'uCarol@example.com')], records);
    expect(suppressed.signals).toEqual([]);
    expect(suppressed.stats.suppressed).toEqual({ 'expected-grants': 1 });
    expect(chainOf(suppressed.created, grantThenLoggingOff.id)).toEqual([]);
    expect(suppressed.stats.signals).toEqual({});
  });

  it('a suppressed alert of a step rule feeds no correlation either', () => {
    const { created } = run(rules, [suppress(['Test.Flow.Logging.Off'], 'uBob@example.com')], records);
    expect(created.filter((alert) => alert.ruleId === flowLoggingOff.id).map((alert) => alert.suppressed?.id)).toEqual(['expected-grants']);
    expect(chainOf(created, grantThenLoggingOff.id)).toEqual([]);
  });

  it('an identity entry naming the correlation rule does not silence its chain (a chain has no single event)', () => {
    const { created } = run(rules, [suppress(['Test.Grant.*'], 'uBob@example.com')], records);
    expect(chainOf(created, grantThenLoggingOff.id).map((alert) => alert.suppressed)).toEqual([undefined]);
  });
});

describe('a first-seen rule as a correlation input', () => {
  const newAdmin = defineFirstSeenRule({
    id: 'Test.New.Admin',
    logTypes: ['Tailscale.Audit'],
    severity: 'MEDIUM',
    signal: true,
    firstSeen: { horizonDays: 30, learningDays: 0 },
    value: (e) => (e.event.target.property === 'USER_ROLE' ? { group: 'admins', value: e.event.target.id } : undefined),
    title: (s) => `new admin ${s.value[0]}`,
  });
  const newAdminStep = correlationStep({ rules: ['Test.New.Admin'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.target.id } });
  const newAdminThenLoggingOff = correlation('Test.New.Admin.Then.Logging.Off', { type: 'sequence', steps: [newAdminStep, loggingStep], on: 'user', withinMinutes: 60 });
  const rules = loaded(newAdmin, flowLoggingOff, newAdminThenLoggingOff);

  it('joins its first sightings: the first grant chains, a repeated one within the horizon does not', () => {
    const { created, signals } = run(rules, [], [grant(0, 'uBob'), loggingOff(10, 'uBob'), grant(70, 'uBob'), loggingOff(80, 'uBob'), tick(200)]);
    expect(signals.map((signal) => signal.title)).toEqual(['new admin uBob']);
    expect(chainOf(created, newAdminThenLoggingOff.id).map((alert) => alert.title)).toEqual(['sequence on user uBob: Test.New.Admin → Test.Flow.Logging.Off']);
  });
});
