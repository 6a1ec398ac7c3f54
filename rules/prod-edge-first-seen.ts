// A source (a tag, a user, a node) reaching a tag:prod service port it has not reached in weeks: a new path into prod.
import { defineFirstSeenRule, dstEndpoints, z } from '../engine/index.ts';
import type { EventOf, FirstSeenValue, NodeInfo } from '../engine/index.ts';

type Flow = EventOf<'Tailscale.Network'>;

const WEB: NodeInfo = { nodeId: 'nWeb1CNTRL', name: 'web-1.example.ts.net', addresses: ['100.64.2.1'], tags: ['tag:web'] };
const DB: NodeInfo = { nodeId: 'nDb1CNTRL', name: 'db-1.example.ts.net', addresses: ['100.64.9.1'], tags: ['tag:prod', 'tag:db'] };
const LAPTOP: NodeInfo = { nodeId: 'nLaptop4CNTRL', name: 'laptop-4.example.ts.net', addresses: ['100.64.5.4'], user: 'dave@example.com' };
const flow = (day: number, from: NodeInfo, port: number, to: NodeInfo = DB) => ({
  nodeId: from.nodeId,
  start: `2026-08-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  end: `2026-08-${String(day).padStart(2, '0')}T10:00:05.000Z`,
  srcNode: from,
  dstNodes: [to],
  virtualTraffic: [{ proto: 6, src: `${from.addresses?.[0]}:40000`, dst: `${to.addresses?.[0]}:${port}`, txPkts: 10, txBytes: 1200 }],
});

/** The addresses of the record's destination nodes that carry a watched tag, with that tag; undefined for none. */
function watchedAddresses(e: Flow, tags: readonly string[]): Map<string, string> | undefined {
  let watched: Map<string, string> | undefined;
  for (const node of e.event.dstNodes ?? []) {
    const tag = node.tags?.find((t) => tags.includes(t));
    if (tag === undefined) continue;
    for (const address of node.addresses ?? []) (watched ??= new Map()).set(address, tag);
  }
  return watched;
}

/** Who sent the traffic: a tagged node by its tags, else its owner, else its id (stable across node re-creation). */
function sourceOf(e: Flow): string {
  const node = e.event.srcNode;
  if (node?.tags !== undefined && node.tags.length > 0) return [...node.tags].sort().join(',');
  return node?.user || node?.nodeId || e.event.nodeId;
}

export default defineFirstSeenRule({
  id: 'Tailscale.Prod.Edge.First.Seen',
  displayName: 'Tailscale: new path to a production tag and port',
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Lateral Movement', 'First Seen'],
  reports: { 'MITRE ATT&CK': ['TA0008:T1021'] },
  options: z.object({
    destinationTags: z.array(z.string()).default(['tag:prod']).describe('Tags of the destinations watched: traffic to a node with one of them forms an edge.'),
    horizonDays: z.number().positive().default(30).describe('An edge is new when its source has not used it for this many days.'),
    learningDays: z.number().min(0).default(7).describe('Days after the first flow record during which edges are only learned.'),
    maxPort: z.int().min(1).max(65535).default(49151).describe('Destination ports above this are ephemeral (reply traffic) and ignored.'),
    ignoredSources: z.array(z.string()).default([]).describe('Sources (tags as "tag:a,tag:b", user logins, node ids) whose new edges are expected.'),
  }),
  description:
    'A source sent traffic to a port of a node carrying a watched tag (tag:prod) that it had not used within the ' +
    'horizon. Sources are tagged nodes by their tags, user devices by their owner. New edges into production follow ' +
    'deployments, but also a compromised node exploring what its grants reach.',
  runbook:
    'Check whether a deployment or policy change explains the edge (policy file history, change requests). If not, ' +
    'look at what the source did on that port (flow bytes, service logs) and narrow the policy grant that allows it.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  firstSeen: (o) => ({ horizonDays: o.horizonDays, learningDays: o.learningDays }),
  value: (e, o) => {
    const entries = e.event.virtualTraffic;
    // Most records reach no watched node: they cost one look at their destination nodes.
    const watched = entries === undefined ? undefined : watchedAddresses(e, o.destinationTags);
    if (watched === undefined) return undefined;
    const source = sourceOf(e);
    if (o.ignoredSources.includes(source)) return undefined;
    const edges = new Map<string, FirstSeenValue>();
    for (const { ip, port } of dstEndpoints(entries!)) {
      const tag = ip === undefined ? undefined : watched.get(ip);
      if (tag === undefined || port === undefined || port > o.maxPort) continue;
      const edge = `${tag}:${port}`;
      if (!edges.has(edge)) edges.set(edge, { group: source, value: [tag, String(port)] });
    }
    return [...edges.values()];
  },
  title: (s) => `Tailscale: ${s.group} reached ${s.value[0]}:${s.value[1]}, not seen in ${s.horizonDays} days`,
  alertContext: (s) => ({ sourceNode: s.event.event.srcNode ?? { nodeId: s.event.event.nodeId }, destinationTag: s.value[0], port: Number(s.value[1]) }),
  tests: [
    {
      name: 'After the learning period, tag:web reaches the database port for the first time',
      expected: true,
      alerts: 1,
      title: 'Tailscale: tag:web reached tag:prod:5432, not seen in 30 days',
      dedup: 'tag:web: tag:prod 5432',
      alertContext: { group: 'tag:web', value: ['tag:prod', '5432'], destinationTag: 'tag:prod', port: 5432 },
      logs: [flow(1, WEB, 443), flow(5, LAPTOP, 22), flow(9, WEB, 443), flow(10, WEB, 5432), flow(11, WEB, 5432)],
    },
    {
      name: 'Edges learned during the learning period and used again',
      expected: false,
      logs: [flow(1, WEB, 443), flow(5, LAPTOP, 22), flow(9, WEB, 443), flow(20, LAPTOP, 22)],
    },
    {
      name: 'A new edge within the learning period',
      expected: false,
      logs: [flow(1, WEB, 443), flow(3, WEB, 5432)],
    },
    {
      name: 'An edge unused for longer than the horizon is new again',
      expected: true,
      alerts: 1,
      alertContext: { group: 'dave@example.com', lastSeen: '2026-08-01T10:00:05.000Z' },
      options: { horizonDays: 7, learningDays: 3 },
      logs: [flow(1, LAPTOP, 22), flow(20, LAPTOP, 22)],
    },
    {
      name: 'Traffic to a node without a watched tag, and reply traffic to an ephemeral port',
      expected: false,
      options: { learningDays: 0 },
      logs: [flow(1, LAPTOP, 22, WEB), flow(2, WEB, 58544)],
    },
  ],
});
