// Far more bytes than usual sent to one tailnet address within 15 minutes (Datadog's "High Virtual Traffic
// Received by Destination", with a per-destination baseline): staging or exfiltration to a tailnet host.
import { defineAggregateRule, emitBytesByDestination, formatBytes, nodeWithAddress, z } from '../engine/index.ts';

const GiB = 2 ** 30;

const flow = (minute: number, src: number, bytes: number, dst = '100.64.0.20') => ({
  nodeId: `nLaptop${src}CNTRL`,
  start: `2026-07-30T10:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T10:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: `nLaptop${src}CNTRL`, name: `laptop-${src}.example.ts.net`, addresses: [`100.64.1.${src}`] },
  dstNodes: [{ nodeId: 'nDb1CNTRL', name: 'db-1.example.ts.net', addresses: ['100.64.0.20', 'fd7a:115c:a1e0::20'], tags: ['tag:db'] }],
  virtualTraffic: [{ proto: 6, src: `100.64.1.${src}:51000`, dst: `${dst}:5432`, txPkts: 1000, txBytes: bytes, rxPkts: 900, rxBytes: 90_000 }],
});

export default defineAggregateRule({
  id: 'Tailscale.High.Virtual.Traffic.Received',
  displayName: 'Tailscale high virtual traffic received by a destination',
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Exfiltration', 'Collection'],
  reports: { 'MITRE ATT&CK': ['TA0010:T1048', 'TA0009:T1074'] },
  options: z.object({
    floorBytes: z.number().positive().default(10 * GiB).describe('Never alert below this many bytes per window.'),
    baselineFactor: z.number().positive().default(5).describe("Alert only above this multiple of the destination's trailing average per window."),
    baselineHours: z.int().min(1).max(168).default(4).describe('Hours of history the trailing average covers.'),
    windowMinutes: z.int().min(1).max(1440).default(15).describe('Length of the sliding window, in minutes.'),
    expectedDestinations: z.array(z.string()).default([]).describe('Destination IPs that receive bulk data by design (backup targets, artifact stores).'),
  }),
  description:
    'Bytes sent to one tailnet IP (txBytes of virtualTraffic entries whose destination is that IP, any port) within ' +
    'windowMinutes exceed both floorBytes and baselineFactor × that destination’s trailing average over baselineHours.',
  runbook:
    'Look at the top contributors (source nodes and destination ports). Confirm with the destination’s owner that a ' +
    'transfer of this size is expected (backup, migration); if not, isolate the sources (remove them from the policy or ' +
    'expire their keys) and check what the destination service exposes.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  aggregate: (o) => ({
    measure: 'sum',
    windowMinutes: o.windowMinutes,
    atLeast: o.floorBytes,
    baseline: { factor: o.baselineFactor, hours: o.baselineHours },
  }),
  contributions: (e, o, emit) => emitBytesByDestination(e, e.event.virtualTraffic, o.expectedDestinations, emit),
  title: (c, o) => {
    const name = nodeWithAddress(c.event, c.group)?.name;
    const why = c.threshold > o.floorBytes ? `, ${o.baselineFactor}× its ${o.baselineHours}h average` : '';
    return `Tailscale: ${formatBytes(c.value)} sent to ${c.group}${name ? ` (${name})` : ''} in ${c.windowMinutes} minutes (threshold ${formatBytes(c.threshold)}${why})`;
  },
  alertContext: (c) => {
    const node = nodeWithAddress(c.event, c.group);
    return { destinationIp: c.group, destinationNode: node ? { nodeId: node.nodeId, name: node.name ?? null, tags: node.tags ?? [] } : null };
  },
  tests: [
    {
      name: 'Two laptops push 11 GiB to the database within 9 minutes',
      expected: true,
      alerts: 1,
      title: 'Tailscale: 11.0 GiB sent to 100.64.0.20 (db-1.example.ts.net) in 15 minutes (threshold 10.0 GiB)',
      dedup: '100.64.0.20',
      severity: 'MEDIUM',
      alertContext: {
        value: 11 * GiB,
        threshold: 10 * GiB,
        topContributors: [
          { contributor: 'laptop-1.example.ts.net → :5432', amount: 7 * GiB },
          { contributor: 'laptop-2.example.ts.net → :5432', amount: 4 * GiB },
        ],
        destinationNode: { nodeId: 'nDb1CNTRL', name: 'db-1.example.ts.net', tags: ['tag:db'] },
      },
      logs: [flow(1, 1, 4 * GiB), flow(5, 2, 4 * GiB), flow(9, 1, 3 * GiB)],
    },
    {
      name: '9 GiB in 15 minutes, and 12 GiB spread over 45 minutes',
      expected: false,
      logs: [flow(1, 1, 3 * GiB), flow(5, 2, 3 * GiB), flow(9, 1, 3 * GiB), flow(30, 1, 4 * GiB), flow(45, 2, 4 * GiB), flow(59, 2, 4 * GiB)],
    },
    {
      name: 'Expected backup destination',
      expected: false,
      options: { expectedDestinations: ['100.64.0.20'] },
      logs: [flow(1, 1, 6 * GiB), flow(2, 2, 6 * GiB)],
    },
  ],
});
