// Far more bytes than usual sent to one physical endpoint (peer's public address or DERP relay) within 15 minutes.
import { defineAggregateRule, emitBytesByDestination, formatBytes, z } from '../engine/index.ts';

const GiB = 2 ** 30;

const flow = (minute: number, node: number, bytes: number, dst = '198.51.100.7:41641') => ({
  nodeId: `nServer${node}CNTRL`,
  start: `2026-07-30T11:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T11:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: `nServer${node}CNTRL`, name: `server-${node}.example.ts.net`, addresses: [`100.64.2.${node}`] },
  physicalTraffic: [{ src: `100.64.2.${node}:0`, dst, txPkts: 10_000, txBytes: bytes, rxPkts: 5000, rxBytes: 400_000 }],
});

export default defineAggregateRule({
  id: 'Tailscale.High.Physical.Traffic.Received',
  displayName: 'Tailscale high physical traffic received by an endpoint',
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Exfiltration'],
  reports: { 'MITRE ATT&CK': ['TA0010:T1048'] },
  options: z.object({
    floorBytes: z.number().positive().default(20 * GiB).describe('Never alert below this many bytes per window.'),
    baselineFactor: z.number().positive().default(5).describe("Alert only above this multiple of the endpoint's trailing average per window."),
    baselineHours: z.int().min(1).max(168).default(4).describe('Hours of history the trailing average covers.'),
    windowMinutes: z.int().min(1).max(1440).default(15).describe('Length of the sliding window, in minutes.'),
    expectedDestinations: z.array(z.string()).default([]).describe('Physical endpoint IPs that receive bulk data by design (e.g. your own DERP servers).'),
  }),
  description:
    'Bytes sent to one physical endpoint IP (txBytes of physicalTraffic entries: the encrypted WireGuard/DERP ' +
    'packets on the underlying network) within windowMinutes exceed both floorBytes and baselineFactor × that ' +
    'endpoint’s trailing average over baselineHours.',
  runbook:
    'Identify the endpoint (a peer’s public address, a DERP relay, or an unknown host) and the nodes sending to it ' +
    '(top contributors). Unknown endpoints receiving tens of GiB deserve isolating the sending nodes and reviewing them.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  aggregate: (o) => ({
    measure: 'sum',
    windowMinutes: o.windowMinutes,
    atLeast: o.floorBytes,
    baseline: { factor: o.baselineFactor, hours: o.baselineHours },
  }),
  contributions: (e, o, emit) => emitBytesByDestination(e, e.event.physicalTraffic, o.expectedDestinations, emit),
  title: (c, o) => {
    const why = c.threshold > o.floorBytes ? `, ${o.baselineFactor}× its ${o.baselineHours}h average` : '';
    return `Tailscale: ${formatBytes(c.value)} sent over the physical network to ${c.group} in ${c.windowMinutes} minutes (threshold ${formatBytes(c.threshold)}${why})`;
  },
  alertContext: (c) => ({ destinationIp: c.group }),
  tests: [
    {
      name: 'Two servers push 24 GiB to one public endpoint',
      expected: true,
      alerts: 1,
      title: 'Tailscale: 24.0 GiB sent over the physical network to 198.51.100.7 in 15 minutes (threshold 20.0 GiB)',
      dedup: '198.51.100.7',
      severity: 'MEDIUM',
      alertContext: {
        destinationIp: '198.51.100.7',
        topContributors: [
          { contributor: 'server-1.example.ts.net → :41641', amount: 16 * GiB },
          { contributor: 'server-2.example.ts.net → :41641', amount: 8 * GiB },
        ],
      },
      logs: [flow(0, 1, 8 * GiB), flow(4, 2, 8 * GiB), flow(13, 1, 8 * GiB)],
    },
    {
      name: 'Below the floor, redacted endpoints ignored',
      expected: false,
      logs: [flow(0, 1, 8 * GiB), flow(4, 2, 8 * GiB), flow(13, 1, 30 * GiB, '98.x.x.x:1025')],
    },
  ],
});
