// Signal: a node sent traffic to the internet through an exit node (exitTraffic). An input of correlations.
import { defineAggregateRule, dstEndpoints, nodeOlderThan, nodeWithAddress, sourceNodeLabel, srcEndpoints, z } from '../engine/index.ts';
import type { NetworkEvent, WithInventory } from '../engine/index.ts';

/**
 * The node that sent an exit entry: the one owning its source IP in the record, else in the inventory. When neither
 * knows the IP, the logging node if the record does not list its own addresses (it cannot be told apart), else the IP.
 */
function clientOf(e: NetworkEvent & WithInventory, ip: string | undefined): string {
  if (ip === undefined) return e.event.nodeId;
  const known = nodeWithAddress(e, ip)?.nodeId ?? e.inventory?.node(ip)?.id;
  if (known !== undefined) return known;
  return e.event.srcNode?.addresses === undefined ? e.event.nodeId : ip;
}

const exitFlow = (logger: string, client: string, srcNode?: unknown) => ({
  nodeId: logger,
  start: '2026-07-30T12:05:00.000Z',
  end: '2026-07-30T12:05:05.000Z',
  ...(srcNode === undefined ? {} : { srcNode }),
  exitTraffic: [{ proto: 6, src: `${client}:52000`, dst: '203.0.113.50:443', txPkts: 40, txBytes: 9000, rxPkts: 30, rxBytes: 40000 }],
});
const EXIT_NODE = { nodeId: 'nExit1CNTRL', name: 'exit-fra.example.ts.net', addresses: ['100.64.9.1'], tags: ['tag:exit'] };

export default defineAggregateRule({
  id: 'Tailscale.Node.Exit.Used',
  displayName: 'Tailscale node used an exit node (signal)',
  logTypes: ['Tailscale.Network'],
  severity: 'INFO',
  signal: true,
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Command and Control', 'Signal'],
  reports: { 'MITRE ATT&CK': ['TA0011:T1090'] },
  options: z.object({
    skipNodesOlderThanHours: z.number().min(0).default(24)
      .describe('Nodes the inventory shows as created longer ago than this, in hours, are left out (0: none). Without inventory, or for a node it has no creation time for, every node counts.'),
  }),
  description:
    'A node sent traffic to the internet through an exit node: exitTraffic entries in a flow record, credited to the ' +
    'node that owns their source IP (named by the record or the inventory), else to the logging node when the record ' +
    'lists no addresses of its own. One signal per node and minute; nodes the inventory shows as older than ' +
    'skipNodesOlderThanHours are left out (the correlations that read this want new nodes). Recorded as a signal for ' +
    'correlation rules.',
  runbook: 'A signal raises no alert by itself: see the correlation that used it (tailwatch signals lists them).',
  reference: 'https://tailscale.com/kb/1103/exit-nodes',
  aggregate: { measure: 'count', windowMinutes: 1, atLeast: 1 },
  contributions: (e, o, emit) => {
    const entries = e.event.exitTraffic;
    if (entries === undefined) return;
    const sources = srcEndpoints(entries);
    const destinations = dstEndpoints(entries);
    for (let i = 0; i < entries.length; i++) {
      const client = clientOf(e, sources[i]!.ip);
      if (o.skipNodesOlderThanHours > 0 && nodeOlderThan(e, client, o.skipNodesOlderThanHours)) continue;
      emit(client, 1, `${sourceNodeLabel(e)} → ${destinations[i]!.ip ?? '?'}`);
    }
  },
  title: (c) => `Tailscale: ${c.group} sent traffic to the internet through an exit node (logged by ${sourceNodeLabel(c.event)})`,
  alertContext: (c) => ({ client: c.group, loggedBy: c.event.event.srcNode ?? { nodeId: c.event.event.nodeId } }),
  tests: [
    {
      name: 'Exit traffic in the client’s own minimal record',
      expected: true,
      alerts: 1,
      title: 'Tailscale: nNew1CNTRL sent traffic to the internet through an exit node (logged by nNew1CNTRL)',
      dedup: 'nNew1CNTRL',
      severity: 'INFO',
      logs: [exitFlow('nNew1CNTRL', '100.64.7.7')],
    },
    {
      name: 'Exit node’s record, client found in the inventory',
      expected: true,
      title: 'Tailscale: nNew1CNTRL sent traffic to the internet through an exit node (logged by exit-fra.example.ts.net)',
      dedup: 'nNew1CNTRL',
      alertContext: { client: 'nNew1CNTRL', loggedBy: EXIT_NODE },
      inventory: { nodes: [{ id: 'nNew1CNTRL', name: 'new-1.example.ts.net', addresses: ['100.64.7.7'] }] },
      logs: [exitFlow('nExit1CNTRL', '100.64.7.7', EXIT_NODE)],
    },
    {
      name: 'Exit node’s record, client unknown: its IP, not the exit node',
      expected: true,
      dedup: '100.64.7.7',
      logs: [exitFlow('nExit1CNTRL', '100.64.7.7', EXIT_NODE)],
    },
    {
      name: 'Exit node’s record, client the inventory shows as a month old',
      expected: false,
      inventory: { nodes: [{ id: 'nLaptop1CNTRL', name: 'laptop-1.example.ts.net', addresses: ['100.64.7.7'], created: '2026-06-30T09:00:00Z' }] },
      logs: [exitFlow('nExit1CNTRL', '100.64.7.7', EXIT_NODE)],
    },
    {
      name: 'Only tailnet traffic',
      expected: false,
      logs: [{ nodeId: 'nNew1CNTRL', start: '2026-07-30T12:05:00.000Z', end: '2026-07-30T12:05:05.000Z', virtualTraffic: [{ proto: 6, src: '100.64.7.7:40000', dst: '100.64.3.1:443', txBytes: 60 }] }],
    },
  ],
});
