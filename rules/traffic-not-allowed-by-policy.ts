// Traffic between a tag or user and a destination tag and port that the policy in force at the flow's time does not
// allow: policy drift (a node enforcing a stale or no packet filter) or a control-plane anomaly. Needs the inventory.
import { checkTrafficPolicy, defineRule, z } from '../engine/index.ts';
import type { DeniedTraffic, NetworkEvent, WithInventory } from '../engine/index.ts';

const PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp' };
const MAX_LISTED = 20;

type Flow = NetworkEvent & WithInventory;

const since = (validFrom: number) => (validFrom === Number.MIN_SAFE_INTEGER ? 'the start of the inventory' : new Date(validFrom).toISOString());
const service = (traffic: DeniedTraffic) => `${PROTOCOLS[traffic.proto] ?? `proto ${traffic.proto}`}/${traffic.to.port}`;
const endId = (end: DeniedTraffic['from']) => end.node?.id ?? end.ip;

/** Entries were denied, or the policy cannot be checked (reported once per policy version and dedup period). */
function finding(e: Flow, reportUnsupported: boolean): boolean {
  const check = checkTrafficPolicy(e);
  if (check === undefined) return false;
  return check.outcome === 'unsupported' ? reportUnsupported : check.denied.length > 0;
}

/** A flow between the logging node (db-1, tag:db) and a laptop, as db-1 logs it: its own side first. */
const flow = (laptopIp: string, laptopUser: string, dbPort = 5432) => ({
  logged: '2026-08-10T09:00:05Z',
  nodeId: 'nDb1CNTRL',
  start: '2026-08-10T09:00:00Z',
  end: '2026-08-10T09:00:05Z',
  srcNode: { nodeId: 'nDb1CNTRL', name: 'db-1.example.ts.net', addresses: ['100.64.0.20'], tags: ['tag:db'] },
  dstNodes: [{ nodeId: `n${laptopUser}CNTRL`, name: `${laptopUser}-laptop.example.ts.net`, addresses: [laptopIp], user: `${laptopUser}@example.com` }],
  virtualTraffic: [{ proto: 6, src: `100.64.0.20:${dbPort}`, dst: `${laptopIp}:51000`, txPkts: 10, txBytes: 4000, rxPkts: 12, rxBytes: 1800 }],
});
const POLICY = {
  validFrom: '2026-08-10T08:00:00Z',
  raw: `{
    // engineers reach the database; nobody else does
    "groups": { "group:eng": ["alice@example.com"] },
    "grants": [
      { "src": ["group:eng"], "dst": ["tag:db"], "ip": ["tcp:5432"] },
      { "src": ["autogroup:admin"], "dst": ["tag:db"], "ip": ["tcp:22"] },
    ],
  }`,
};
const USERS = [{ id: 'uAlice', loginName: 'alice@example.com', role: 'member' }, { id: 'uBob', loginName: 'bob@example.com', role: 'member' }];

export default defineRule({
  id: 'Tailscale.Traffic.Not.Allowed.By.Policy',
  displayName: 'Tailscale traffic the policy in force does not allow',
  logTypes: ['Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Inventory', 'Defense Evasion'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.004'] },
  options: z.object({
    reportUnsupported: z.boolean().default(true).describe('Report (INFO) a policy version that uses constructs the evaluator does not support, once per dedup period.'),
  }),
  description:
    'A virtual or subnet traffic entry that the tailnet policy in force at the flow\'s time (from the inventory: polls, ' +
    'policyUpdate webhooks, ACL audit records) allows in neither direction (a flow log does not say which side opened ' +
    'the connection). Evaluated subset: `acls` and `grants` with `src`, `dst`, `ip`/`proto` and ports; users, `group:`, ' +
    '`tag:`, autogroup:member, autogroup:admin, autogroup:tagged, `hosts` aliases, IPs and CIDRs, `*`. A policy with ' +
    'anything else (srcPosture, defaultSrcPosture, via, app, other autogroups, ipsets, services) is reported as ' +
    'unsupported (INFO) and never evaluated. ICMP is allowed wherever the source may reach the destination at all, as ' +
    'in Tailscale\'s packet filter. An entry whose answer needs facts the flow and inventory lack (a node\'s tags, an ' +
    'owner\'s role) is counted as unknown, not alerted on. Without inventory or a known policy the rule never matches.',
  runbook:
    'Check both nodes\' client versions and whether the policy changed just before (the policy version time). A ' +
    'node that accepts traffic its packet filter should drop may be compromised or running a modified client: ' +
    'isolate it and compare with tailscale debug netmap.',
  reference: 'https://tailscale.com/kb/1337/acl-syntax',
  rule: (e, o) => finding(e, o.reportUnsupported),
  title: (e) => {
    const check = checkTrafficPolicy(e);
    if (check?.outcome === 'unsupported') return `Tailscale policy in force since ${since(check.validFrom)} cannot be checked for drift: ${check.reasons[0]}`;
    const first = check?.denied[0];
    if (check === undefined || first === undefined) return 'Tailscale traffic not allowed by the policy in force';
    const more = check.denied.length > 1 ? ` (and ${check.denied.length - 1} more)` : '';
    return `Tailscale traffic not allowed by the policy in force since ${since(check.validFrom)}: ${first.from.label} → ${first.to.label} on ${service(first)}${more}`;
  },
  dynamicSeverity: (e) => (checkTrafficPolicy(e)?.outcome === 'unsupported' ? 'INFO' : 'DEFAULT'),
  dedup: (e) => {
    const check = checkTrafficPolicy(e);
    const first = check?.outcome === 'checked' ? check.denied[0] : undefined;
    return first === undefined ? `unsupported policy since ${since(check?.validFrom ?? 0)}` : `${endId(first.from)} → ${endId(first.to)} ${service(first)}`;
  },
  alertContext: (e) => {
    const check = checkTrafficPolicy(e);
    if (check === undefined) return {};
    const base = { nodeId: e.event.nodeId, policyValidFrom: since(check.validFrom), outcome: check.outcome };
    if (check.outcome === 'unsupported') return { ...base, unsupported: check.reasons };
    const denied = check.denied.slice(0, MAX_LISTED).map((traffic) => ({ kind: traffic.kind, service: service(traffic), from: traffic.from, to: traffic.to }));
    return { ...base, deniedCount: check.denied.length, denied, unknownEntries: check.unknown };
  },
  tests: [
    {
      name: 'Allowed: an engineer reaches the database (logged by the database: its side is src)',
      expected: false,
      inventory: { users: USERS, policy: POLICY },
      log: flow('100.64.0.10', 'alice'),
    },
    {
      name: 'Denied: a user outside group:eng reaches the database port',
      expected: true,
      title: 'Tailscale traffic not allowed by the policy in force since 2026-08-10T08:00:00.000Z: bob-laptop.example.ts.net (bob@example.com) → db-1.example.ts.net (tag:db) on tcp/5432',
      dedup: 'nbobCNTRL → nDb1CNTRL tcp/5432',
      severity: 'HIGH',
      alertContext: {
        policyValidFrom: '2026-08-10T08:00:00.000Z',
        outcome: 'checked',
        deniedCount: 1,
        denied: [{ kind: 'virtualTraffic', service: 'tcp/5432', from: { ip: '100.64.0.11', port: 51000 }, to: { ip: '100.64.0.20', port: 5432, node: { id: 'nDb1CNTRL', tags: ['tag:db'] } } }],
      },
      inventory: { users: USERS, policy: POLICY },
      log: flow('100.64.0.11', 'bob'),
    },
    {
      name: 'Unknown: autogroup:admin decides, and the owner\'s role is not in the inventory',
      expected: false,
      inventory: { policy: POLICY },
      log: flow('100.64.0.11', 'bob', 22),
    },
    {
      name: 'Unsupported: a grant with a posture condition is reported, never evaluated',
      expected: true,
      title: 'Tailscale policy in force since 2026-08-10T08:00:00.000Z cannot be checked for drift: grants[0]: field "srcPosture"',
      severity: 'INFO',
      alertContext: { outcome: 'unsupported', unsupported: ['grants[0]: field "srcPosture"'] },
      inventory: { policy: { validFrom: '2026-08-10T08:00:00Z', raw: '{"grants": [{"src": ["*"], "dst": ["tag:db"], "ip": ["*"], "srcPosture": ["posture:latest"]}]}' } },
      log: flow('100.64.0.11', 'bob'),
    },
    {
      name: 'Unsupported policy, reporting turned off',
      expected: false,
      options: { reportUnsupported: false },
      inventory: { policy: { raw: '{"grants": [{"src": ["*"], "dst": ["autogroup:self"], "ip": ["*"]}]}' } },
      log: flow('100.64.0.11', 'bob'),
    },
    {
      name: 'No inventory: no alert',
      expected: false,
      log: flow('100.64.0.11', 'bob'),
    },
  ],
});
