// One node opening SSH to many tailnet hosts in minutes: lateral movement (or an unlisted automation host).
import { defineAggregateRule, dstEndpoints, sourceNodeLabel, z } from '../engine/index.ts';

const TCP = 6;

const flow = (minute: number, targets: string[], port = 22) => ({
  nodeId: 'nLaptop7CNTRL',
  start: `2026-07-30T12:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T12:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: 'nLaptop7CNTRL', name: 'laptop-7.example.ts.net', addresses: ['100.64.1.7', 'fd7a:115c:a1e0::107'], tags: [] },
  virtualTraffic: targets.map((ip, i) => ({
    proto: TCP,
    src: ip.includes(':') ? `[fd7a:115c:a1e0::107]:${40000 + i}` : `100.64.1.7:${40000 + i}`,
    dst: ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`,
    txPkts: 12,
    txBytes: 2400,
  })),
});
const hosts = (from: number, count: number) => Array.from({ length: count }, (_, i) => `100.64.3.${from + i}`);

export default defineAggregateRule({
  id: 'Tailscale.SSH.Fanout',
  displayName: 'Tailscale SSH fan-out from one node',
  logTypes: ['Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Lateral Movement'],
  reports: { 'MITRE ATT&CK': ['TA0008:T1021.004'] },
  options: z.object({
    minDistinctHosts: z.int().min(1).default(10).describe('Distinct destination IPs reached on an SSH port that fire.'),
    windowMinutes: z.int().min(1).max(1440).default(10).describe('Length of the sliding window, in minutes.'),
    sshPorts: z.array(z.int().min(1).max(65535)).default([22]).describe('Destination ports that count as SSH.'),
    allowedSources: z.array(z.string()).default([]).describe('Node ids or names expected to fan out over SSH (bastions, configuration management).'),
  }),
  description:
    'One node sent TCP traffic to an SSH port on at least minDistinctHosts distinct tailnet IPs (IPv4 and IPv6 alike) ' +
    'within windowMinutes. Interactive users rarely do this; worms, stolen keys and lateral movement do.',
  runbook:
    'Identify the node and its owner. If it is not a known automation host, look at the destinations (top ' +
    'contributors), check their auth logs for the same source, and remove the node from the tailnet until explained.',
  reference: 'https://tailscale.com/kb/1193/tailscale-ssh',
  aggregate: (o) => ({ measure: 'distinct', windowMinutes: o.windowMinutes, atLeast: o.minDistinctHosts }),
  contributions: (e, o, emit) => {
    const entries = e.event.virtualTraffic;
    if (entries === undefined) return;
    const node = e.event.nodeId;
    if (o.allowedSources.includes(node) || o.allowedSources.includes(e.event.srcNode?.name ?? '')) return;
    const destinations = dstEndpoints(entries);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.proto !== TCP) continue;
      const { ip, port } = destinations[i]!;
      if (ip !== undefined && port !== undefined && o.sshPorts.includes(port)) emit(node, 1, ip);
    }
  },
  title: (c) => `Tailscale: ${sourceNodeLabel(c.event)} opened SSH to ${c.value} tailnet hosts within ${c.windowMinutes} minutes`,
  alertContext: (c) => ({ sourceNode: c.event.event.srcNode ?? { nodeId: c.group } }),
  tests: [
    {
      name: 'SSH to 10 hosts (IPv4 and IPv6) in 6 minutes',
      expected: true,
      alerts: 1,
      title: 'Tailscale: laptop-7.example.ts.net opened SSH to 10 tailnet hosts within 10 minutes',
      dedup: 'nLaptop7CNTRL',
      severity: 'HIGH',
      alertContext: { value: 10, threshold: 10, measure: 'distinct' },
      logs: [flow(0, hosts(1, 4)), flow(3, ['fd7a:115c:a1e0::31', 'fd7a:115c:a1e0::32', ...hosts(1, 2)]), flow(6, hosts(10, 4))],
    },
    {
      name: 'SSH to 9 hosts, many times; 12 hosts on port 443',
      expected: false,
      logs: [flow(0, hosts(1, 9)), flow(2, hosts(1, 9)), flow(4, hosts(1, 9)), flow(5, hosts(20, 12), 443)],
    },
    {
      name: 'Allowed bastion',
      expected: false,
      options: { allowedSources: ['laptop-7.example.ts.net'] },
      logs: [flow(0, hosts(1, 20))],
    },
  ],
});
