// Rule specs and their inline tests are exact, for every kind: a misspelt key is a compile error.
import { defineAggregateRule, defineFirstSeenRule, defineRule } from '../../engine/index.ts';

export const eventRule = defineRule({
  id: 'Types.Keys.Event',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: () => true,
  // @ts-expect-error a misspelt rule field
  dedupPeriodMinute: 5,
});

export const eventTest = defineRule({
  id: 'Types.Keys.EventTest',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: () => true,
  // @ts-expect-error a misspelt per-event test field
  tests: [{ name: 't', expected: true, log: {}, titel: 'x' }],
});

export const aggregateTest = defineAggregateRule({
  id: 'Types.Keys.AggregateTest',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  aggregate: { measure: 'count', windowMinutes: 5, atLeast: 3 },
  contributions: (e, _o, emit) => emit(e.event.actor.id, 1, e.event.target.id),
  title: (c) => c.group,
  // @ts-expect-error a misspelt aggregate test field
  tests: [{ name: 't', expected: true, logs: [{}], alert: 1 }],
});

export const firstSeenRule = defineFirstSeenRule({
  id: 'Types.Keys.FirstSeen',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  firstSeen: { horizonDays: 14, learningDays: 7 },
  value: (e) => ({ group: e.event.actor.id, value: [e.event.origin ?? '', e.event.action] }),
  // @ts-expect-error a misspelt field of what titles get
  title: (s) => s.grop,
});

export const firstSeenWindow = defineFirstSeenRule({
  id: 'Types.Keys.FirstSeenWindow',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  // @ts-expect-error a misspelt window field
  firstSeen: { horizonDays: 14, learningDay: 7 },
  value: (e) => ({ group: e.event.actor.id, value: e.event.action }),
  title: (s) => s.group,
});
