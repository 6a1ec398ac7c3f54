// Small rules for the correlation tests: audit inputs (one a signal) and flow inputs, keyed by user and node.
import { defineAggregateRule } from '../../../engine/rules/aggregate/define-aggregate-rule.ts';
import { correlationStep, defineCorrelationRule } from '../../../engine/rules/correlation/define-correlation-rule.ts';
import type { Correlation } from '../../../engine/rules/correlation/types.ts';
import { defineRule } from '../../../engine/rules/event/define-rule.ts';
import type { LoadedRule } from '../../../engine/rules/load-rules.ts';
import { auditRecord, T0_MS } from '../events.ts';

export const loaded = (...rules: LoadedRule['rule'][]): LoadedRule[] => rules.map((rule) => ({ rule, options: {}, file: `${rule.id}.ts` }));

/** A role grant to `user` by `actor` at T0 + minute. */
export const grant = (minute: number, user: string, actor = 'uAlice1CNTRL') =>
  auditRecord(minute, { actor: { id: actor, type: 'USER', loginName: `${actor}@example.com` }, target: { id: user, type: 'USER', property: 'USER_ROLE' }, action: 'UPDATE', new: 'admin' });
/** Flow logging disabled by `actor` at T0 + minute. */
export const loggingOff = (minute: number, actor: string) =>
  auditRecord(minute, { actor: { id: actor, type: 'USER', loginName: `${actor}@example.com` }, target: { id: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' }, action: 'DISABLE' });
/** A node created by `actor` at T0 + minute. */
export const nodeCreated = (minute: number, node: string, actor: string) =>
  auditRecord(minute, { actor: { id: actor, type: 'USER', loginName: `${actor}@example.com` }, target: { id: node, type: 'NODE' }, action: 'CREATE' });
/** An SSH flow from `node` to `hosts` distinct hosts at T0 + minute. */
export const sshFlow = (minute: number, node: string, hosts: number) => {
  const end = T0_MS + minute * 60_000;
  return {
    logged: new Date(end + 1000).toISOString(),
    nodeId: node,
    start: new Date(end - 5000).toISOString(),
    end: new Date(end).toISOString(),
    virtualTraffic: Array.from({ length: hosts }, (_, i) => ({ proto: 6, src: '100.64.0.11:40000', dst: `100.64.3.${i + 1}:22`, txPkts: 1, txBytes: 60 })),
  };
};
export const tick = (minute: number) => auditRecord(minute, { action: 'LOGIN', target: { id: 'uTick', type: 'USER' } });

export const roleGranted = defineRule({
  id: 'Test.Role.Granted',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  signal: true,
  rule: (e) => e.event.target.property === 'USER_ROLE',
  title: (e) => `role granted to ${e.event.target.id}`,
  dedup: (e) => e.event.target.id,
});

export const flowLoggingOff = defineRule({
  id: 'Test.Flow.Logging.Off',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  rule: (e) => e.event.action === 'DISABLE' && e.event.target.property === 'NETWORK_FLOW_LOGGING',
  title: (e) => `flow logging off by ${e.event.actor.id}`,
  dedup: (e) => e.event.actor.id,
});

export const nodeAdded = defineRule({
  id: 'Test.Node.Created',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  signal: true,
  rule: (e) => e.event.action === 'CREATE' && e.event.target.type === 'NODE',
  title: (e) => `node ${e.event.target.id} created`,
  dedup: (e) => e.event.target.id,
});

export const fanout = defineAggregateRule({
  id: 'Test.SSH.Fanout',
  logTypes: ['Tailscale.Network'],
  severity: 'HIGH',
  signal: true,
  aggregate: { measure: 'distinct', windowMinutes: 10, atLeast: 3 },
  contributions: (e, _o, emit) => {
    for (const entry of e.event.virtualTraffic ?? []) emit(e.event.nodeId, 1, entry.dst ?? '');
  },
  title: (c) => `fan-out from ${c.group}`,
});

export const grantStep = correlationStep({ rules: ['Test.Role.Granted'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.target.id } });
export const loggingStep = correlationStep({ rules: ['Test.Flow.Logging.Off'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id } });
export const nodeStep = correlationStep({ rules: ['Test.Node.Created'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id, node: (e) => e.event.target.id } });
export const fanoutStep = correlationStep({ rules: ['Test.SSH.*'], logType: 'Tailscale.Network', keys: { node: (_e, input) => input.group } });

export function correlation(id: string, correlate: Correlation, logTypes: ('Tailscale.Audit' | 'Tailscale.Network')[] = ['Tailscale.Audit']) {
  return defineCorrelationRule({
    id,
    logTypes,
    severity: 'CRITICAL',
    correlate,
    title: (chain) => `${chain.type} on ${chain.key.type} ${chain.key.value}: ${chain.links.map((link) => link.ruleId).join(' → ')}`,
  });
}

export const grantThenLoggingOff = correlation('Test.Grant.Then.Logging.Off', { type: 'sequence', steps: [grantStep, loggingStep], on: 'user', withinMinutes: 60 });
