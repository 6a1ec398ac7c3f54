// Flow records without srcNode/dstNodes get them from the inventory as of their time, marked enriched; the nodes a
// record names itself are left as they are; a shipped flow rule's title then names the node instead of its id.
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import portScan from '../../rules/port-scan.ts';
import { runRule } from '../../engine/testing/run-rule.ts';
import type { NetworkEvent } from '../../engine/schemas/network.ts';

const nodes = [
  { id: 'nSrc1CNTRL', name: 'laptop-7.example.ts.net', user: 'bob@example.com', addresses: ['100.64.0.11'], os: 'macOS' },
  { id: 'nDst1CNTRL', name: 'db-1.example.ts.net', tags: ['tag:db'], addresses: ['100.64.0.12'] },
];
const flow = (extra: Record<string, unknown> = {}, dst = '100.64.0.12:5432', at = '2026-08-10T09:00:05Z') => ({
  logged: at, nodeId: 'nSrc1CNTRL', start: at, end: at, virtualTraffic: [{ proto: 6, src: '100.64.0.11:50000', dst, txBytes: 10 }, { proto: 6, src: '100.64.0.11:50001', dst: '100.64.0.99:80', txBytes: 1 }], ...extra,
});

const seen: NetworkEvent['event'][] = [];
const probe = defineRule({
  id: 'Test.Enrich.Probe',
  logTypes: ['Tailscale.Network'],
  severity: 'INFO',
  rule: (e) => {
    seen.push(structuredClone(e.event));
    return false;
  },
});

describe('flow enrichment from inventory', () => {
  it('fills srcNode and dstNodes, marked enriched, and leaves what the record names', () => {
    seen.length = 0;
    runRule(probe, [flow(), flow({ srcNode: { nodeId: 'nSrc1CNTRL', name: 'as-logged' } })], { inventory: { nodes } });
    expect(seen[0]?.srcNode).toEqual({ nodeId: 'nSrc1CNTRL', enriched: true, name: 'laptop-7.example.ts.net', addresses: ['100.64.0.11'], os: 'macOS', user: 'bob@example.com' });
    expect(seen[0]?.dstNodes).toEqual([{ nodeId: 'nDst1CNTRL', enriched: true, name: 'db-1.example.ts.net', addresses: ['100.64.0.12'], tags: ['tag:db'] }]);
    expect(seen[1]?.srcNode).toEqual({ nodeId: 'nSrc1CNTRL', name: 'as-logged' });
  });

  it('changes nothing without inventory', () => {
    seen.length = 0;
    runRule(probe, [flow()]);
    expect(seen[0]?.srcNode).toBeUndefined();
    expect(seen[0]?.dstNodes).toBeUndefined();
  });

  it('lets the port-scan rule name the scanning node from the inventory', () => {
    const logs = Array.from({ length: 60 }, (_, i) => flow({}, `100.64.0.12:${1000 + i}`, new Date(Date.parse('2026-08-10T09:00:00Z') + i * 1000).toISOString()));
    const titled = (inventory: boolean) => runRule(portScan, logs, inventory ? { inventory: { nodes } } : {}).created[0]?.title;
    expect(titled(false)).toMatch(/^Tailscale: nSrc1CNTRL reached/);
    expect(titled(true)).toMatch(/^Tailscale: laptop-7\.example\.ts\.net reached/);
  });
});
