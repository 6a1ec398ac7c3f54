// Flow records checked against the policy in force at their time, through the shipped rule and the real evaluator:
// either direction may allow an entry, subnet traffic is checked against addresses, nodes the record does not name
// come from the inventory, and a policy change applies from its own time.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../engine/testing/run-rule.ts';
import rule from '../../rules/traffic-not-allowed-by-policy.ts';
import { auditRecord, T0_MS } from '../rules/events.ts';

const LAPTOP = { nodeId: 'nLaptopCNTRL', name: 'laptop.example.ts.net', addresses: ['100.64.0.10'], user: 'bob@example.com' };
const WEB = { nodeId: 'nWebCNTRL', name: 'web.example.ts.net', addresses: ['100.64.0.30', 'fd7a:115c:a1e0::30'], tags: ['tag:web'] };

/** A flow logged by the laptop at T0 + minute. */
function flow(minute: number, entries: Record<string, unknown>, nodes: Record<string, unknown> = { dstNodes: [WEB] }) {
  const end = T0_MS + minute * 60_000;
  return { logged: new Date(end + 1000).toISOString(), nodeId: LAPTOP.nodeId, start: new Date(end - 5000).toISOString(), end: new Date(end).toISOString(), srcNode: LAPTOP, ...nodes, ...entries };
}

const POLICY = JSON.stringify({
  hosts: { 'office-lan': '10.1.0.0/16' },
  grants: [
    { src: ['bob@example.com'], dst: ['tag:web'], ip: ['tcp:443'] },
    { src: ['tag:web'], dst: ['bob@example.com'], ip: ['tcp:8080'] },
    { src: ['bob@example.com'], dst: ['office-lan'], ip: ['tcp:3389'] },
  ],
});
const inventory = { policy: { raw: POLICY, validFrom: '2026-06-01T00:00:00Z' }, nodes: [{ id: WEB.nodeId, name: WEB.name, addresses: WEB.addresses, tags: WEB.tags }] };
const alertsOf = (logs: unknown[]) => runRule(rule, logs, { inventory }).alerts;

describe('Tailscale.Traffic.Not.Allowed.By.Policy', () => {
  it('allows an entry that either direction allows: the client side and the server side of a connection', () => {
    const laptopToWeb = { proto: 6, src: '100.64.0.10:50000', dst: '100.64.0.30:443', txBytes: 100 };
    const webToLaptop = { proto: 6, src: '100.64.0.10:8080', dst: '100.64.0.30:41000', rxBytes: 100 };
    expect(alertsOf([flow(1, { virtualTraffic: [laptopToWeb, webToLaptop] })])).toEqual([]);
  });

  it('alerts on an entry neither direction allows, naming both ends, the service and the policy version', () => {
    const ssh = { proto: 6, src: '100.64.0.10:50001', dst: '100.64.0.30:22', txBytes: 100 };
    const v6 = { proto: 17, src: '[fd7a:115c:a1e0::10]:50002', dst: '[fd7a:115c:a1e0::30]:53', txBytes: 100 };
    const [alert, ...others] = alertsOf([flow(1, { virtualTraffic: [ssh, v6, { ...ssh, txBytes: 5 }] })]);
    expect(others).toEqual([]);
    expect(alert?.title).toBe(
      'Tailscale traffic not allowed by the policy in force since 2026-06-01T00:00:00.000Z: laptop.example.ts.net (bob@example.com) → web.example.ts.net (tag:web) on tcp/22 (and 1 more)',
    );
    expect(alert?.alertContext).toMatchObject({ outcome: 'checked', deniedCount: 2, unknownEntries: 0 });
    // The IPv6 address of the laptop is not in the record: the entry still resolves web by the inventory.
    expect((alert?.alertContext as { denied: unknown[] }).denied[1]).toMatchObject({ service: 'udp/53', from: { ip: 'fd7a:115c:a1e0::10', label: 'fd7a:115c:a1e0::10' }, to: { label: 'web.example.ts.net (tag:web)' } });
  });

  it('resolves a destination the record does not name from the inventory', () => {
    const ssh = { proto: 6, src: '100.64.0.10:50001', dst: '100.64.0.30:22', txBytes: 100 };
    const [alert] = alertsOf([flow(1, { virtualTraffic: [ssh] }, {})]);
    expect(alert?.title).toContain('→ web.example.ts.net (tag:web) on tcp/22');
  });

  it('checks subnet traffic against addresses and hosts aliases', () => {
    const rdp = { proto: 6, src: '100.64.0.10:50003', dst: '10.1.4.4:3389', txBytes: 100 };
    const smb = { proto: 6, src: '100.64.0.10:50004', dst: '10.1.4.4:445', txBytes: 100 };
    expect(alertsOf([flow(1, { subnetTraffic: [rdp] })])).toEqual([]);
    const [alert] = alertsOf([flow(2, { subnetTraffic: [smb] })]);
    expect(alert?.title).toContain('laptop.example.ts.net (bob@example.com) → 10.1.4.4 on tcp/445');
  });

  it('applies a policy change from its own time: a flow before it is checked against the version before', () => {
    const https = { proto: 6, src: '100.64.0.10:50000', dst: '100.64.0.30:443', txBytes: 100 };
    const locked = auditRecord(10, { target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' }, action: 'UPDATE', old: POLICY, new: '{"grants": [],}' });
    const alerts = alertsOf([flow(5, { virtualTraffic: [https] }), locked, flow(11, { virtualTraffic: [https] })]);
    expect(alerts.map((alert) => alert.title)).toEqual([
      'Tailscale traffic not allowed by the policy in force since 2026-06-03T15:10:00.000Z: laptop.example.ts.net (bob@example.com) → web.example.ts.net (tag:web) on tcp/443',
    ]);
    expect(alerts[0]?.firstEventTime).toBe(new Date(T0_MS + 11 * 60_000).toISOString());
  });

  it('never matches entries it cannot place: no protocol, or redacted addresses', () => {
    const redacted = { proto: 6, src: '100.x.x.x:50000', dst: '100.64.0.30:22', txBytes: 1 };
    const noProto = { src: '100.64.0.10:50000', dst: '100.64.0.30:22', txBytes: 1 };
    expect(alertsOf([flow(1, { virtualTraffic: [redacted, noProto] })])).toEqual([]);
  });
});
