// Rule specs and their inline tests are exact, for every kind: a misspelt key is a compile error.
import { correlationStep, defineAggregateRule, defineCorrelationRule, defineFirstSeenRule, defineRule } from '../../engine/index.ts';

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

export const correlationTest = defineCorrelationRule({
  id: 'Types.Keys.CorrelationTest',
  logTypes: ['Tailscale.Audit', 'Tailscale.Network'],
  severity: 'LOW',
  correlate: {
    type: 'sequence',
    steps: [
      correlationStep({ rules: ['Types.A'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id } }),
      correlationStep({ rules: ['Types.B'], logType: 'Tailscale.Network', keys: { node: (e) => e.event.nodeId } }),
    ],
    on: 'user',
    withinMinutes: 5,
  },
  title: (chain) => chain.key.value,
  // @ts-expect-error a misspelt correlation test field
  tests: [{ name: 't', expected: true, logs: [{}], alert: 1 }],
});

// A step's key functions get events of the step's log type: an audit event has no nodeId.
// @ts-expect-error a flow field read from an audit step
export const auditStep = correlationStep({ rules: ['Types.A'], logType: 'Tailscale.Audit', keys: { node: (e) => e.event.nodeId } });

export const keyStep = correlationStep({
  rules: ['Types.A'],
  logType: 'Tailscale.Audit',
  // @ts-expect-error a join key that is not one of node, user, authKey
  keys: { device: () => 'n1' },
});
