// Exact types, loose records: fields Tailscale adds still parse, reach JSON output, and are read through extraField;
// enumeration values it adds still parse and are matched through isUnlisted.
import { describe, expect, it } from 'vitest';
import { extraField, isUnlisted } from '../../engine/index.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/index.ts';
import type { AuditEvent, NetworkEvent, ParseResult } from '../../engine/schemas/index.ts';

const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 'src-1', sourceLabel: 'Test source' };

const audit = {
  eventTime: '2026-06-02T19:00:05Z',
  action: 'PURGE',
  origin: 'TERRAFORM',
  actor: { id: 'uAlice', type: 'ROBOT', loginName: 'alice@example.com', nodeName: 'ci-runner' },
  target: { id: 'n1', type: 'NODE', property: 'FUNNEL', tailnetRole: 'exit' },
  tailnet: 'example.com',
};

const network = {
  nodeId: 'nSrc',
  start: '2026-06-02T18:59:54Z',
  end: '2026-06-02T18:59:59Z',
  region: 'fra',
  srcNode: { nodeId: 'nSrc', addresses: ['100.64.0.11'], hostinfo: { os: 'linux' } },
  dstNodes: [{ nodeId: 'nDst', shared: true }],
  virtualTraffic: [{ proto: 6, src: '100.64.0.11:22', dst: '100.64.0.12:58544', flags: 'SYN' }],
};

function parsed<E>(result: ParseResult): E {
  if (!result.ok) throw new Error(result.message);
  return result.event as E;
}

describe('fields outside the documented schema', () => {
  it('parse, stay in JSON output and are read through extraField at every level', () => {
    const a = parsed<AuditEvent>(parseRecord(audit, context));
    expect([extraField(a.event, 'tailnet'), extraField(a.event.actor, 'nodeName'), extraField(a.event.target, 'tailnetRole')]).toEqual(['example.com', 'ci-runner', 'exit']);
    const n = parsed<NetworkEvent>(parseRecord(network, context));
    expect(extraField(n.event, 'region')).toBe('fra');
    expect(extraField(n.event.srcNode, 'hostinfo')).toEqual({ os: 'linux' });
    expect(extraField(n.event.dstNodes?.[0], 'shared')).toBe(true);
    expect(extraField(n.event.virtualTraffic?.[0], 'flags')).toBe('SYN');
    expect(JSON.parse(JSON.stringify(a)).event).toEqual(audit);
    expect(JSON.parse(JSON.stringify(n)).event).toEqual(network);
  });

  it('extraField gives undefined for an absent field, an absent parent and an inherited property', () => {
    const n = parsed<NetworkEvent>(parseRecord({ nodeId: 'n', start: network.start, end: network.end }, context));
    expect(extraField(n.event, 'region')).toBeUndefined();
    expect(extraField(n.event.srcNode, 'hostinfo')).toBeUndefined();
    expect(extraField(n.event, 'toString')).toBeUndefined();
  });
});

describe('enumeration values outside the known lists', () => {
  it('parse and are matched on purpose with isUnlisted', () => {
    const { event } = parsed<AuditEvent>(parseRecord(audit, context));
    expect(isUnlisted(event.action, 'PURGE')).toBe(true);
    expect(isUnlisted(event.action, 'WIPE')).toBe(false);
    expect(isUnlisted(event.origin, 'TERRAFORM')).toBe(true);
    expect(isUnlisted(event.actor.type, 'ROBOT')).toBe(true);
    expect(isUnlisted(event.target.property, 'FUNNEL')).toBe(true);
    const { event: plain } = parsed<AuditEvent>(parseRecord({ ...audit, origin: undefined, target: { id: 'n1', type: 'NODE' } }, context));
    expect(isUnlisted(plain.origin, 'TERRAFORM')).toBe(false);
    expect(isUnlisted(plain.target.property, 'FUNNEL')).toBe(false);
  });
});
