// A node that normally reports flow logs stops reporting while the inventory says it is online: a blind spot, as
// when the log pipeline of one host is cut while the node stays connected. Needs the tailnet inventory (polls).
import { defineSilenceRule, inventoryNodeLabel, z } from '../engine/index.ts';
import type { Silence } from '../engine/index.ts';

const at = (minute: number, seconds = 0) => new Date(Date.parse('2026-08-10T09:00:00Z') + minute * 60_000 + seconds * 1000).toISOString();
const flow = (nodeId: string, minute: number) => ({
  logged: at(minute, 7), nodeId, start: at(minute), end: at(minute, 5),
  virtualTraffic: [{ proto: 6, src: '100.64.0.7:443', dst: '100.64.0.9:50000', txBytes: 10 }],
});
/** A flow record from the node every 5 minutes of [from, to]. */
const every5 = (nodeId: string, from: number, to: number) => Array.from({ length: Math.floor((to - from) / 5) + 1 }, (_, i) => flow(nodeId, from + i * 5));
/** The records of several nodes, in time order (as one tailnet's stream arrives). */
const stream = (...nodes: ReturnType<typeof flow>[][]) => nodes.flat().sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0));

/** Tests shrink the baseline: 10-minute windows, all 3 of the last 3 reported in, silent for 15 minutes. */
const SHORT = { silenceMinutes: 15, windowMinutes: 10, windows: 3, minReportingWindows: 3 };
const WEB = { id: 'nWeb1CNTRL', name: 'web-1.example.ts.net', user: 'alice@example.com', tags: ['tag:web'] };
const DB = { id: 'nDb1CNTRL', name: 'db-1.example.ts.net', online: true };
/** web-1 reports from 09:00 to 09:30 and stops; db-1 goes on to 10:00, moving the tailnet's flow-log watermark. */
const WEB_STOPS = stream(every5('nWeb1CNTRL', 0, 30), every5('nDb1CNTRL', 0, 60));

const nodeOf = (s: Silence) => s.inventory?.node(s.reporter);

export default defineSilenceRule({
  id: 'Tailscale.Node.Flow.Logs.Silent',
  displayName: 'Tailscale node stops reporting flow logs while online',
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 1440,
  tags: ['Tailscale', 'Inventory', 'Defense Evasion'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.006'] },
  options: z.object({
    silenceMinutes: z.int().min(1).default(60).describe('Minutes of flow-log event time without a record from the node that fire.'),
    windowMinutes: z.int().min(1).default(60).describe('Length of one baseline window, in minutes (aligned to the epoch: 60 is the clock hour).'),
    windows: z.int().min(1).max(168).default(24).describe('Baseline windows looked at, ending with the one of its last record.'),
    minReportingWindows: z.int().min(1).default(20).describe('Of those, the windows with a record from the node: what "normally reports" means.'),
  }),
  silence: (o) => ({ silenceMinutes: o.silenceMinutes, windowMinutes: o.windowMinutes, windows: o.windows, minReportingWindows: o.minReportingWindows }),
  description:
    'A node that logged flows in at least minReportingWindows of its last windows baseline windows (windowMinutes each) has logged none for ' +
    'silenceMinutes of the tailnet\'s flow-log event time, while other nodes go on logging, and the tailnet inventory as ' +
    'of that time says it is online (the API\'s connectedToControl, from the latest device poll; lastSeen is not versioned, so not used). Its traffic is ' +
    'then no longer seen: flow logging blocked on the host, or its records dropped on the way. Without inventory, ' +
    'and for a node offline, deleted or unknown to it, the rule never matches.',
  runbook:
    'Check the node in the admin console (last seen, connected) and on the host (tailscaled running, its logs leaving). ' +
    'If it is online and sends traffic nobody logs, treat it as tampering: isolate it and look at what it reached before.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  reporter: (e) => e.event.nodeId,
  rule: (s) => nodeOf(s)?.online === true,
  title: (s) => {
    const node = nodeOf(s);
    return `Tailscale node ${node === undefined ? s.reporter : inventoryNodeLabel(node)} sent no flow logs for ${s.silenceMinutes} minutes while online`;
  },
  alertContext: (s) => {
    const node = nodeOf(s);
    return { nodeId: s.reporter, name: node?.name, owner: node?.user, tags: node?.tags, lastSeen: node?.lastSeen };
  },
  tests: [
    {
      name: 'A regular node goes silent while online',
      expected: true,
      alerts: 1,
      options: SHORT,
      title: 'Tailscale node web-1.example.ts.net (alice@example.com; tag:web) sent no flow logs for 15 minutes while online',
      dedup: 'nWeb1CNTRL',
      severity: 'MEDIUM',
      alertContext: { nodeId: 'nWeb1CNTRL', silentSince: '2026-08-10T09:31:00.000Z', silenceMinutes: 15, reportingWindows: 3, owner: 'alice@example.com' },
      inventory: { nodes: [{ ...WEB, online: true }, DB] },
      logs: WEB_STOPS,
    },
    {
      name: 'The silent node is offline',
      expected: false,
      options: SHORT,
      inventory: { nodes: [{ ...WEB, online: false }, DB] },
      logs: WEB_STOPS,
    },
    {
      name: 'The silent node did not report regularly before',
      expected: false,
      options: SHORT,
      inventory: { nodes: [{ ...WEB, online: true }, DB] },
      // Nothing from web-1 in 09:10-09:20: two of its last three windows.
      logs: stream([flow('nWeb1CNTRL', 0), flow('nWeb1CNTRL', 5), flow('nWeb1CNTRL', 20), flow('nWeb1CNTRL', 25)], every5('nDb1CNTRL', 0, 60)),
    },
    {
      name: 'A pause shorter than the silence',
      expected: false,
      options: SHORT,
      inventory: { nodes: [{ ...WEB, online: true }, DB] },
      logs: stream(every5('nWeb1CNTRL', 0, 30), every5('nWeb1CNTRL', 40, 60), every5('nDb1CNTRL', 0, 60)),
    },
    {
      name: 'No inventory: no alert',
      expected: false,
      options: SHORT,
      logs: WEB_STOPS,
    },
  ],
});
