// One node sending a lot of data to the internet through exit nodes: exfiltration that bypasses egress controls.
import { defineAggregateRule, dstEndpoints, formatBytes, sourceNodeLabel, srcEndpoints, z } from '../engine/index.ts';

const GiB = 2 ** 30;

/** A record logged by the exit node: exitTraffic entries are the clients' traffic it forwards to the internet. */
const exitFlow = (minute: number, client: string, bytes: number, dst = '203.0.113.50:443') => ({
  nodeId: 'nExit1CNTRL',
  start: `2026-07-30T14:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T14:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: 'nExit1CNTRL', name: 'exit-fra.example.ts.net', addresses: ['100.64.9.1'], tags: ['tag:exit'] },
  exitTraffic: [{ proto: 6, src: `${client}:52000`, dst, txPkts: 100_000, txBytes: bytes, rxPkts: 50_000, rxBytes: 2_000_000 }],
});

export default defineAggregateRule({
  id: 'Tailscale.Exit.Node.High.Egress',
  displayName: 'Tailscale high egress through exit nodes',
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Exfiltration', 'Command and Control'],
  reports: { 'MITRE ATT&CK': ['TA0010:T1048', 'TA0011:T1090'] },
  options: z.object({
    floorBytes: z.number().positive().default(5 * GiB).describe('Bytes per window from one source that fire.'),
    windowMinutes: z.int().min(1).max(1440).default(15).describe('Length of the sliding window, in minutes.'),
    allowedSources: z.array(z.string()).default([]).describe('Tailnet IPs of clients expected to move bulk data through exit nodes.'),
  }),
  description:
    'Bytes one tailnet address sent to the internet through exit nodes (txBytes of exitTraffic entries, grouped by ' +
    'their source address) reached floorBytes within windowMinutes.',
  runbook:
    'Identify the client node behind the source address and the internet destinations (top contributors). Large ' +
    'uploads to unknown hosts through an exit node bypass the office egress controls: confirm with the owner or isolate the node.',
  reference: 'https://tailscale.com/kb/1103/exit-nodes',
  aggregate: (o) => ({ measure: 'sum', windowMinutes: o.windowMinutes, atLeast: o.floorBytes }),
  contributions: (e, o, emit) => {
    const entries = e.event.exitTraffic;
    if (entries === undefined) return;
    const exitNode = sourceNodeLabel(e);
    const sources = srcEndpoints(entries);
    const destinations = dstEndpoints(entries);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!entry.txBytes) continue;
      const src = sources[i]!.ip;
      if (src === undefined || o.allowedSources.includes(src)) continue;
      const dst = destinations[i]!;
      emit(src, entry.txBytes, `${exitNode} → ${dst.ip ?? '?'}:${dst.port ?? '?'}`);
    }
  },
  title: (c) => `Tailscale: ${c.group} sent ${formatBytes(c.value)} to the internet through exit nodes in ${c.windowMinutes} minutes (threshold ${formatBytes(c.threshold)})`,
  alertContext: (c) => ({ sourceIp: c.group, exitNode: c.event.event.srcNode ?? { nodeId: c.event.event.nodeId } }),
  tests: [
    {
      name: 'A laptop uploads 6 GiB through the exit node',
      expected: true,
      alerts: 1,
      title: 'Tailscale: 100.64.1.9 sent 6.0 GiB to the internet through exit nodes in 15 minutes (threshold 5.0 GiB)',
      dedup: '100.64.1.9',
      severity: 'MEDIUM',
      alertContext: {
        sourceIp: '100.64.1.9',
        topContributors: [
          { contributor: 'exit-fra.example.ts.net → 203.0.113.50:443', amount: 4 * GiB },
          { contributor: 'exit-fra.example.ts.net → 198.51.100.23:22', amount: 2 * GiB },
        ],
      },
      logs: [exitFlow(0, '100.64.1.9', 2 * GiB), exitFlow(5, '100.64.1.9', 2 * GiB, '198.51.100.23:22'), exitFlow(10, '100.64.1.9', 2 * GiB)],
    },
    {
      name: 'Two laptops with 3 GiB each',
      expected: false,
      logs: [exitFlow(0, '100.64.1.9', 3 * GiB), exitFlow(5, '100.64.1.10', 3 * GiB)],
    },
  ],
});
