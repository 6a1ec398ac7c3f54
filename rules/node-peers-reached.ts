// Signal: one node reached more than K distinct tailnet peers within a window. An input of correlations.
import { defineAggregateRule, dstEndpoints, nodeOlderThan, nodeWithAddress, sourceNodeLabel, z } from '../engine/index.ts';

/** new-1 sends to each of `ips` at minute; `dstNodes` names the peers' nodes when given. */
const reach = (minute: number, ips: string[], dstNodes?: unknown[]) => ({
  nodeId: 'nNew1CNTRL',
  start: `2026-07-30T12:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T12:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: 'nNew1CNTRL', name: 'new-1.example.ts.net', addresses: ['100.64.7.7', 'fd7a:115c:a1e0::707'] },
  ...(dstNodes === undefined ? {} : { dstNodes }),
  virtualTraffic: ips.map((ip, i) => ({
    proto: 6,
    src: ip.includes(':') ? `[fd7a:115c:a1e0::707]:${40000 + i}` : `100.64.7.7:${40000 + i}`,
    dst: ip.includes(':') ? `[${ip}]:443` : `${ip}:443`,
    txPkts: 4,
    txBytes: 600,
  })),
});
const hosts = (from: number, count: number) => Array.from({ length: count }, (_, i) => `100.64.3.${from + i}`);

export default defineAggregateRule({
  id: 'Tailscale.Node.Peers.Reached',
  displayName: 'Tailscale node reached many peers (signal)',
  logTypes: ['Tailscale.Network'],
  severity: 'INFO',
  signal: true,
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Discovery', 'Lateral Movement', 'Signal'],
  reports: { 'MITRE ATT&CK': ['TA0007:T1046', 'TA0008:T1021'] },
  options: z.object({
    morePeersThan: z.int().min(0).default(10).describe('K: fires when one node reaches more than this many distinct peers within the window.'),
    windowMinutes: z.int().min(1).max(1440).default(30)
      .describe('Length of the sliding window, in minutes; keep it at least the withinMinutes of the correlations that read this signal.'),
    skipNodesOlderThanHours: z.number().min(0).default(24)
      .describe('Nodes the inventory shows as created longer ago than this, in hours, are left out (0: none). Without inventory, or for a node it has no creation time for, every node counts.'),
  }),
  description:
    'The logging node sent virtual (tailnet) traffic to more than morePeersThan distinct peers within windowMinutes. ' +
    'A peer is a destination node as the record’s dstNodes name it (Tailscale’s, or filled in from the inventory), ' +
    'else its tailnet IP: a known node reached over IPv4 and IPv6 counts once. Nodes the inventory shows as older than ' +
    'skipNodesOlderThanHours are left out (the correlations that read this want new nodes; busy old ones would only add ' +
    'a signal a minute). Recorded as a signal for correlation rules.',
  runbook: 'A signal raises no alert by itself: see the correlation that used it (tailwatch signals lists them).',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  aggregate: (o) => ({ measure: 'distinct', windowMinutes: o.windowMinutes, atLeast: o.morePeersThan + 1 }),
  contributions: (e, o, emit) => {
    const entries = e.event.virtualTraffic;
    if (entries === undefined || (o.skipNodesOlderThanHours > 0 && nodeOlderThan(e, e.event.nodeId, o.skipNodesOlderThanHours))) return;
    for (const { ip } of dstEndpoints(entries)) {
      if (ip !== undefined) emit(e.event.nodeId, 1, nodeWithAddress(e, ip)?.nodeId ?? ip);
    }
  },
  title: (c) => `Tailscale: ${sourceNodeLabel(c.event)} reached ${c.value} peers within ${c.windowMinutes} minutes`,
  alertContext: (c) => ({ sourceNode: c.event.event.srcNode ?? { nodeId: c.group } }),
  tests: [
    {
      name: 'Eleven peers over two records',
      expected: true,
      alerts: 1,
      title: 'Tailscale: new-1.example.ts.net reached 11 peers within 30 minutes',
      dedup: 'nNew1CNTRL',
      severity: 'INFO',
      alertContext: { measure: 'distinct', value: 11, threshold: 11 },
      logs: [reach(10, hosts(1, 6)), reach(12, hosts(7, 5))],
    },
    {
      name: 'Ten peer nodes, one of them over IPv4 and IPv6',
      expected: false,
      logs: [
        reach(10, [...hosts(1, 10), 'fd7a:115c:a1e0::31'], [
          { nodeId: 'nPeer1CNTRL', addresses: ['100.64.3.1', 'fd7a:115c:a1e0::31'] },
          ...hosts(2, 9).map((ip, i) => ({ nodeId: `nPeer${i + 2}CNTRL`, addresses: [ip] })),
        ]),
      ],
    },
    {
      name: 'Eleven peers from a node the inventory shows as a month old',
      expected: false,
      inventory: { nodes: [{ id: 'nNew1CNTRL', name: 'new-1.example.ts.net', created: '2026-06-30T09:00:00Z' }] },
      logs: [reach(10, hosts(1, 6)), reach(12, hosts(7, 5))],
    },
    {
      name: 'Eleven peers from a node the inventory shows as created an hour ago',
      expected: true,
      inventory: { nodes: [{ id: 'nNew1CNTRL', name: 'new-1.example.ts.net', created: '2026-07-30T11:10:00Z' }] },
      logs: [reach(10, hosts(1, 6)), reach(12, hosts(7, 5))],
    },
    {
      name: 'Eleven peers with K raised to 20',
      expected: false,
      options: { morePeersThan: 20 },
      logs: [reach(10, hosts(1, 6)), reach(12, hosts(7, 5))],
    },
  ],
});
