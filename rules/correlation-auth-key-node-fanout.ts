// An auth key created, a node added by the same owner, and that node fanning out or scanning within minutes.
import { correlationStep, defineCorrelationRule, z } from '../engine/index.ts';

const audit = (minute: number, target: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventTime: `2026-07-30T12:${String(minute).padStart(2, '0')}:00.000Z`,
  eventGroupID: `a${minute}1e2f3a4b5c6d7e8f90a1b2c3d4e5f6`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
  target,
  action: 'CREATE',
  ...extra,
});
const keyCreated = (minute: number) =>
  audit(minute, { id: 'kNew1CNTRL', name: 'Auth key', type: 'API_KEY' }, { new: { capabilities: ['PREAUTHORIZED'], authTags: ['tag:server'] } });
const nodeCreated = (minute: number, node: string) => audit(minute, { id: node, name: `${node}.example.ts.net`, type: 'NODE' }, { origin: 'NODE' });
/** SSH from `node` to `count` tailnet hosts at minute. */
const ssh = (minute: number, node: string, count: number) => ({
  nodeId: node,
  start: `2026-07-30T12:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T12:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: node, name: `${node}.example.ts.net`, addresses: ['100.64.7.7'], tags: [] },
  virtualTraffic: Array.from({ length: count }, (_, i) => ({ proto: 6, src: `100.64.7.7:${40000 + i}`, dst: `100.64.3.${i + 1}:22`, txPkts: 12, txBytes: 2400 })),
});

export default defineCorrelationRule({
  id: 'Tailscale.Correlation.Auth.Key.Node.Fanout',
  displayName: 'Tailscale new auth key → new node → fan-out',
  logTypes: ['Tailscale.Audit', 'Tailscale.Network'],
  severity: 'CRITICAL',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Persistence', 'Lateral Movement', 'Correlation'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1098.001', 'TA0008:T1021.004', 'TA0007:T1046'] },
  options: z.object({
    withinMinutes: z.int().min(1).max(1440).default(30).describe('How long the whole chain may take, from the key to the fan-out, in minutes.'),
  }),
  description:
    'Tailscale.Auth.Key.Created (signal), then Tailscale.Node.Created (signal) by the same actor (actor.id), then ' +
    'Tailscale.SSH.Fanout or Tailscale.Port.Scan from that node (their group is the node id = the created target.id), ' +
    'all within withinMinutes. Evidence is indirect: the audit log names no auth key on a node creation, so the key and ' +
    'the node are joined on the actor, assuming a node added with a key is attributed to the key’s owner.',
  runbook:
    'Revoke the auth key and remove the node; check the fan-out destinations for logins from it, and find out how ' +
    'the key left its owner.',
  reference: 'https://tailscale.com/kb/1085/auth-keys',
  correlate: (o) => ({
    type: 'sequence',
    steps: [
      correlationStep({ rules: ['Tailscale.Auth.Key.Created'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id } }),
      correlationStep({ rules: ['Tailscale.Node.Created'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id, node: (e) => e.event.target.id } }),
      correlationStep({ rules: ['Tailscale.SSH.Fanout', 'Tailscale.Port.Scan'], logType: 'Tailscale.Network', keys: { node: (_e, input) => input.group } }),
    ],
    on: ['user', 'node'],
    withinMinutes: o.withinMinutes,
  }),
  title: (chain) => `Tailscale: node ${chain.key.value} joined with a new auth key of ${chain.links[0]?.keys.user ?? '?'} and fanned out within ${chain.withinMinutes} minutes`,
  alertContext: (chain) => ({ node: chain.key.value, owner: chain.links[0]?.keys.user, activity: chain.links[2]?.ruleId }),
  tests: [
    {
      name: 'Key, node, SSH to ten hosts',
      expected: true,
      alerts: 1,
      title: 'Tailscale: node nRogue1CNTRL joined with a new auth key of uMallory1CNTRL and fanned out within 30 minutes',
      dedup: 'node:nRogue1CNTRL',
      severity: 'CRITICAL',
      alertContext: {
        activity: 'Tailscale.SSH.Fanout',
        chain: [
          { ruleId: 'Tailscale.Auth.Key.Created', eventTime: '2026-07-30T12:00:00.000Z', keys: { user: 'uMallory1CNTRL' } },
          { ruleId: 'Tailscale.Node.Created', eventTime: '2026-07-30T12:02:00.000Z', keys: { user: 'uMallory1CNTRL', node: 'nRogue1CNTRL' } },
          { ruleId: 'Tailscale.SSH.Fanout', logType: 'Tailscale.Network', keys: { node: 'nRogue1CNTRL' } },
        ],
      },
      logs: [keyCreated(0), nodeCreated(2, 'nRogue1CNTRL'), ssh(10, 'nRogue1CNTRL', 6), ssh(12, 'nRogue1CNTRL', 10)],
    },
    {
      name: 'Another node fans out',
      expected: false,
      logs: [keyCreated(0), nodeCreated(2, 'nRogue1CNTRL'), ssh(10, 'nOld1CNTRL', 10)],
    },
    {
      name: 'Fan-out after the window',
      expected: false,
      logs: [keyCreated(0), nodeCreated(2, 'nRogue1CNTRL'), ssh(40, 'nRogue1CNTRL', 10)],
    },
    {
      name: 'No key before the node',
      expected: false,
      logs: [nodeCreated(2, 'nRogue1CNTRL'), ssh(10, 'nRogue1CNTRL', 10)],
    },
  ],
});
