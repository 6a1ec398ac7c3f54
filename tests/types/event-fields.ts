// Rule authors see exactly the documented fields: a misspelt field at any level is a type error.
import { defineAggregateRule, defineRule, extraField } from '../../engine/index.ts';
import type { AuditActor, AuditEvent, AuditTarget, EventOf, NetworkEvent, NodeInfo, TrafficEntry } from '../../engine/index.ts';

export const auditRule = defineRule({
  id: 'Types.Audit.Fields',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => {
    const documented = [e.event.action, e.event.actor.loginName, e.event.target.type, e.event.origin, e.p_event_time];
    // @ts-expect-error a misspelt event field
    const event = e.event.acton;
    // @ts-expect-error a misspelt actor field
    const actor = e.event.actor.loginNmae;
    // @ts-expect-error a misspelt target field
    const target = e.event.target.tpye;
    // @ts-expect-error a misspelt envelope field (Envelope was already an exact interface)
    const envelope = e.p_event_tme;
    return [documented, event, actor, target, envelope].length > 0;
  },
});

export const networkRule = defineRule({
  id: 'Types.Network.Fields',
  logTypes: ['Tailscale.Network'],
  severity: 'LOW',
  rule: (e) => {
    const entry = e.event.virtualTraffic?.[0];
    const documented = [e.event.nodeId, entry?.txBytes, e.event.srcNode?.addresses, e.event.dstNodes?.[0]?.tags];
    // @ts-expect-error a misspelt network record field
    const record = e.event.virtualTrafic;
    // @ts-expect-error a misspelt traffic entry field
    const traffic = entry?.txByte;
    // @ts-expect-error a misspelt srcNode field
    const src = e.event.srcNode?.adresses;
    // @ts-expect-error a misspelt dstNodes[i] field
    const dst = e.event.dstNodes?.[0]?.tag;
    return [documented, record, traffic, src, dst].length > 0;
  },
});

export const aggregateRule = defineAggregateRule({
  id: 'Types.Aggregate.Crossing',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  aggregate: () => ({ measure: 'count', windowMinutes: 5, atLeast: 3 }),
  contributions: (e, _o, emit) => emit(e.event.actor.id, 1, e.event.target.id),
  // @ts-expect-error a misspelt field read through an aggregate crossing's event
  title: (c) => `${c.group}: ${c.event.event.actor.displayNmae}`,
});

// The exported types are exact too, whichever name a helper uses.
export function helpers(audit: AuditEvent, actor: AuditActor, target: AuditTarget, network: NetworkEvent, node: NodeInfo, entry: TrafficEntry, typed: EventOf<'Tailscale.Network'>): unknown[] {
  return [
    // @ts-expect-error AuditEvent
    audit.event.actionDetail,
    // @ts-expect-error AuditActor
    actor.tag,
    // @ts-expect-error AuditTarget
    target.isEphemerl,
    // @ts-expect-error NetworkEvent
    network.event.exitTrafic,
    // @ts-expect-error NodeInfo
    node.nodeID,
    // @ts-expect-error TrafficEntry
    entry.rxPkt,
    // @ts-expect-error EventOf<L>
    typed.event.strat,
  ];
}

// The escape hatch: an undocumented field is read through extraField, typed unknown.
export function undocumented(audit: AuditEvent, network: NetworkEvent): unknown[] {
  const nodeName: unknown = extraField(audit.event.actor, 'nodeName');
  const optionalParent = extraField(network.event.srcNode, 'hostinfo');
  const entryExtra = extraField(network.event.virtualTraffic?.[0], 'flags');
  const recordExtra = extraField(audit.event, 'tailnet');
  return [
    nodeName, optionalParent, entryExtra, recordExtra,
    // @ts-expect-error a documented field is read directly, typed, not through extraField
    extraField(audit.event.actor, 'loginName'),
    // @ts-expect-error the result is unknown: it must be checked before use as a string
    extraField(audit.event, 'tailnet').toUpperCase(),
  ];
}

// Events are still assignable where code takes any JSON-like object (e.g. JSON output).
export const asRecord = (audit: AuditEvent): Record<string, unknown> => audit.event;

// Tailscale.Webhook: the envelope and `data` fields are exact too; the event type is an open enumeration.
export const webhookRule = defineRule({
  id: 'Types.Webhook.Fields',
  logTypes: ['Tailscale.Webhook'],
  severity: 'LOW',
  rule: (e) => {
    const documented = [e.event.timestamp, e.event.tailnet, e.event.message, e.event.data?.deviceName, e.event.data?.actor];
    // @ts-expect-error a misspelt data field
    const data = e.event.data?.deviceNmae;
    // @ts-expect-error a misspelt event field
    const event = e.event.tailnett;
    const undocumented = extraField(e.event.data, 'oldName');
    return documented.length + [data, event, undocumented].length > 0 && e.event.type === 'nodeNeedsApproval';
  },
});

export function webhookTypes(e: EventOf<'Tailscale.Webhook'>): boolean[] {
  return [
    e.event.type === 'userRoleUpdated',
    // @ts-expect-error the type is nodeNeedsApproval
    e.event.type === 'nodeNeedApproval',
  ];
}
