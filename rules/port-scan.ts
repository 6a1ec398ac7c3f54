// One node reaching many (address, port) pairs in minutes: a port scan or service sweep from inside the tailnet.
import { defineAggregateRule, dstEndpoints, sourceNodeLabel, z } from '../engine/index.ts';

const flow = (minute: number, ip: string, ports: number[]) => ({
  nodeId: 'nBuild3CNTRL',
  start: `2026-07-30T13:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T13:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: 'nBuild3CNTRL', name: 'build-3.example.ts.net', addresses: ['100.64.4.3'], tags: ['tag:ci'] },
  virtualTraffic: ports.map((port) => ({ proto: 6, src: '100.64.4.3:45000', dst: `${ip}:${port}`, txPkts: 1, txBytes: 60 })),
});
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

export default defineAggregateRule({
  id: 'Tailscale.Port.Scan',
  displayName: 'Tailscale port scan from one node',
  logTypes: ['Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Discovery'],
  reports: { 'MITRE ATT&CK': ['TA0007:T1046'] },
  options: z.object({
    minDistinctTargets: z.int().min(1).default(50).describe('Distinct (destination IP, port) pairs that fire.'),
    windowMinutes: z.int().min(1).max(1440).default(5).describe('Length of the sliding window, in minutes.'),
    ignoredPorts: z.array(z.int().min(0).max(65535)).default([]).describe('Destination ports that never count (e.g. a service every node polls on many hosts).'),
    allowedSources: z.array(z.string()).default([]).describe('Node ids or names of sanctioned scanners.'),
  }),
  description:
    'One node sent traffic to at least minDistinctTargets distinct (destination IP, port) pairs within windowMinutes: ' +
    'a port scan of one host or a sweep of one port across many.',
  runbook:
    'Identify the node and its owner; sanctioned scanners belong in allowedSources. Otherwise treat the node as ' +
    'compromised: expire its key, then review connections that succeeded (flow logs with rxBytes) from it.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  aggregate: (o) => ({ measure: 'distinct', windowMinutes: o.windowMinutes, atLeast: o.minDistinctTargets }),
  contributions: (e, o, emit) => {
    const entries = e.event.virtualTraffic;
    if (entries === undefined) return;
    const node = e.event.nodeId;
    if (o.allowedSources.includes(node) || o.allowedSources.includes(e.event.srcNode?.name ?? '')) return;
    const destinations = dstEndpoints(entries);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const { ip, port } = destinations[i]!;
      if (ip === undefined || port === undefined || o.ignoredPorts.includes(port)) continue;
      // The endpoint text itself is the (address, port) item: no new string per entry.
      emit(node, 1, ip, entry.dst);
    }
  },
  title: (c) => `Tailscale: ${sourceNodeLabel(c.event)} reached ${c.value} distinct address:port pairs within ${c.windowMinutes} minutes (port scan)`,
  alertContext: (c) => ({ sourceNode: c.event.event.srcNode ?? { nodeId: c.group } }),
  tests: [
    {
      name: 'Vertical scan of one host and a sweep of another',
      expected: true,
      alerts: 1,
      title: 'Tailscale: build-3.example.ts.net reached 50 distinct address:port pairs within 5 minutes (port scan)',
      dedup: 'nBuild3CNTRL',
      severity: 'HIGH',
      alertContext: { value: 50, topContributors: [{ contributor: '100.64.0.20', amount: 40 }, { contributor: '100.64.0.21', amount: 10 }] },
      logs: [flow(0, '100.64.0.20', range(1, 20)), flow(2, '100.64.0.21', range(8000, 10)), flow(4, '100.64.0.20', range(1000, 20))],
    },
    {
      name: 'The same 30 pairs again and again, then 30 more later',
      expected: false,
      logs: [flow(0, '100.64.0.20', range(1, 30)), flow(1, '100.64.0.20', range(1, 30)), flow(3, '100.64.0.20', range(1, 30)), flow(9, '100.64.0.20', range(100, 30))],
    },
  ],
});
