// Identity lineage: a reusable or pre-authorised auth key, a node its owner adds, and that node reaching many peers
// or an exit node within minutes of joining.
import { correlationStep, defineCorrelationRule, keyCapabilities, z } from '../engine/index.ts';
import type { EventOf, WithInventory } from '../engine/index.ts';

type Audit = EventOf<'Tailscale.Audit'> & WithInventory;

/**
 * What lets the created key add nodes unattended: from the creation record's capabilities when it lists them
 * (ONE_OFF_NODE_AUTH absent: reusable; PREAUTHORIZED), else from the key's inventory record (the keys API).
 */
function keyRisks(e: Audit): string[] {
  const listed = typeof e.event.new === 'object' && e.event.new !== null && 'capabilities' in e.event.new;
  const caps = keyCapabilities(e.event.new);
  const known = e.inventory?.key(e.event.target.id);
  const risks: string[] = [];
  if (listed ? !caps.includes('ONE_OFF_NODE_AUTH') : known?.reusable === true) risks.push('reusable');
  if (caps.includes('PREAUTHORIZED') || known?.preauthorized === true) risks.push('pre-authorised');
  return risks;
}

const at = (minute: number, day = 30) => `2026-07-${day}T12:${String(minute).padStart(2, '0')}:00.000Z`;
const person = (name: string) => ({ id: `u${name}1CNTRL`, type: 'USER', loginName: `${name.toLowerCase()}@example.com`, displayName: name });
const audit = (time: string, actor: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventTime: time, eventGroupID: `eg${time}${actor}`, origin: 'ADMIN_CONSOLE', actor: person(actor), target, action: 'CREATE', ...extra,
});
/** An auth key created by `actor`; `capabilities` undefined: a record that lists none. */
const keyCreated = (time: string, capabilities?: string[], actor = 'Mallory') =>
  audit(time, actor, { id: 'kNew1CNTRL', name: 'Auth key', type: 'API_KEY' }, capabilities === undefined ? {} : { new: { capabilities, authTags: ['tag:server'] } });
const nodeCreated = (minute: number, node = 'nRogue1CNTRL', actor = 'Mallory') =>
  audit(at(minute), actor, { id: node, name: `${node}.example.ts.net`, type: 'NODE' }, { origin: 'NODE' });
/** `node` sends HTTPS to `count` tailnet peers 100.64.3.{first…} at minute. */
const reach = (minute: number, first: number, count: number, node = 'nRogue1CNTRL') => ({
  nodeId: node,
  start: at(minute),
  end: at(minute).replace(':00.000Z', ':05.000Z'),
  virtualTraffic: Array.from({ length: count }, (_, i) => ({ proto: 6, src: `100.64.7.7:${40000 + i}`, dst: `100.64.3.${first + i}:443`, txPkts: 4, txBytes: 600 })),
});
const exitFlow = (minute: number, node = 'nRogue1CNTRL') => ({
  nodeId: node, start: at(minute), end: at(minute).replace(':00.000Z', ':05.000Z'), exitTraffic: [{ proto: 6, src: '100.64.7.7:52000', dst: '203.0.113.50:443', txBytes: 9000 }],
});
const REUSABLE_YESTERDAY = keyCreated('2026-07-29T18:00:00.000Z', []);

export default defineCorrelationRule({
  id: 'Tailscale.Correlation.Auth.Key.Lineage',
  displayName: 'Tailscale reusable/pre-authorised auth key → new node → many peers or an exit node',
  logTypes: ['Tailscale.Audit', 'Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Persistence', 'Lateral Movement', 'Correlation'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1098.001', 'TA0008:T1021', 'TA0011:T1090'] },
  options: z.object({
    withinMinutes: z.int().min(1).max(1440).default(30).describe('N: how soon after the node was created its fan-out or exit-node use counts, in minutes.'),
    keyWithinHours: z.int().min(1).max(168).default(24).describe('How long before the node its key may have been created, in hours (at most a week: held matches are bounded).'),
  }),
  description:
    'Tailscale.Auth.Key.Created (signal) for a reusable or pre-authorised key (its record’s capabilities: no ' +
    'ONE_OFF_NODE_AUTH, or PREAUTHORIZED; else the key’s inventory record), then within keyWithinHours ' +
    'Tailscale.Node.Created (signal) by the key’s creator (actor.id), then within withinMinutes of the node ' +
    'Tailscale.Node.Peers.Reached (more than its morePeersThan = K distinct peers) or Tailscale.Node.Exit.Used from ' +
    'that node. Evidence is indirect: no documented field links a node to the key that created it (the devices ' +
    'API has no key field; an audit record’s actionDetails is only a free-text reason), so the key and the node are ' +
    'joined on the key’s owner, who is the user that registers a node added with a user-owned key (the devices ' +
    'API’s user, the keys API’s userId). Keys owned by the tailnet (created by OAuth clients) join only if the node ' +
    'creation names the same client. PREAUTHORIZED as a capability name is not in the public samples.',
  runbook:
    'Find the key (Settings › Keys) and revoke it if the node was not expected; remove the node, check what it ' +
    'reached (the chain’s last step, flow logs) and how the key left its owner. Prefer one-off, tagged keys.',
  reference: 'https://tailscale.com/kb/1085/auth-keys',
  correlate: (o) => ({
    type: 'sequence',
    steps: [
      // A single-use key that needs approval names no owner here, so it joins nothing.
      correlationStep({ rules: ['Tailscale.Auth.Key.Created'], logType: 'Tailscale.Audit', keys: { user: (e) => (keyRisks(e).length > 0 ? e.event.actor.id : undefined), authKey: (e) => e.event.target.id } }),
      correlationStep({ rules: ['Tailscale.Node.Created'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id, node: (e) => e.event.target.id } }),
      correlationStep({
        rules: ['Tailscale.Node.Peers.Reached', 'Tailscale.Node.Exit.Used'], logType: 'Tailscale.Network', withinMinutesOfPrevious: o.withinMinutes, keys: { node: (_e, input) => input.group },
      }),
    ],
    on: ['user', 'node'],
    withinMinutes: Math.max(o.keyWithinHours * 60, o.withinMinutes),
  }),
  title: (chain, o) => {
    const [key, , activity] = chain.links;
    const what = activity?.ruleId === 'Tailscale.Node.Exit.Used' ? 'used an exit node' : 'reached many peers';
    return `Tailscale: new node ${chain.key.value} joined with reusable or pre-authorised auth key ${key?.keys.authKey ?? '?'} of ${key?.keys.user ?? '?'} and ${what} within ${o.withinMinutes} minutes`;
  },
  alertContext: (chain) => ({ node: chain.key.value, authKey: chain.links[0]?.keys.authKey, owner: chain.links[0]?.keys.user, activity: chain.links[2]?.title }),
  tests: [
    {
      name: 'Reusable key from yesterday, node, eleven peers',
      expected: true,
      alerts: 1,
      title: 'Tailscale: new node nRogue1CNTRL joined with reusable or pre-authorised auth key kNew1CNTRL of uMallory1CNTRL and reached many peers within 30 minutes',
      dedup: 'node:nRogue1CNTRL',
      severity: 'HIGH',
      alertContext: {
        authKey: 'kNew1CNTRL',
        activity: 'Tailscale: nRogue1CNTRL reached 11 peers within 30 minutes',
        chain: [
          { ruleId: 'Tailscale.Auth.Key.Created', eventTime: '2026-07-29T18:00:00.000Z', keys: { user: 'uMallory1CNTRL', authKey: 'kNew1CNTRL' } },
          { ruleId: 'Tailscale.Node.Created', eventTime: at(2), keys: { user: 'uMallory1CNTRL', node: 'nRogue1CNTRL' } },
          { ruleId: 'Tailscale.Node.Peers.Reached', eventTime: at(12), keys: { node: 'nRogue1CNTRL' } },
        ],
      },
      logs: [REUSABLE_YESTERDAY, nodeCreated(2), reach(10, 1, 6), reach(12, 7, 5)],
    },
    {
      name: 'Pre-authorised single-use key, node, exit node',
      expected: true,
      title: 'Tailscale: new node nRogue1CNTRL joined with reusable or pre-authorised auth key kNew1CNTRL of uMallory1CNTRL and used an exit node within 30 minutes',
      logs: [keyCreated(at(0), ['ONE_OFF_NODE_AUTH', 'PREAUTHORIZED']), nodeCreated(2), exitFlow(5)],
    },
    {
      name: 'Key the record says nothing about, reusable in the inventory',
      expected: true,
      inventory: { keys: [{ id: 'kNew1CNTRL', keyType: 'auth', reusable: true, preauthorized: false, userId: 'uMallory1CNTRL' }] },
      logs: [keyCreated(at(0)), nodeCreated(2), exitFlow(5)],
    },
    {
      name: 'Single-use key that needs approval',
      expected: false,
      logs: [keyCreated(at(0), ['ONE_OFF_NODE_AUTH']), nodeCreated(2), reach(10, 1, 12), exitFlow(11)],
    },
    {
      name: 'Ten peers are not more than ten',
      expected: false,
      logs: [REUSABLE_YESTERDAY, nodeCreated(2), reach(10, 1, 6), reach(12, 7, 4)],
    },
    {
      name: 'Peers reached 40 minutes after the node',
      expected: false,
      logs: [REUSABLE_YESTERDAY, nodeCreated(2), reach(40, 1, 6), reach(42, 7, 5)],
    },
    {
      name: 'Key created more than keyWithinHours before the node',
      expected: false,
      options: { keyWithinHours: 12 },
      logs: [REUSABLE_YESTERDAY, nodeCreated(2), reach(10, 1, 12)],
    },
    {
      name: 'Another user’s key',
      expected: false,
      logs: [keyCreated(at(0), [], 'Alice'), nodeCreated(2), reach(10, 1, 12)],
    },
    {
      name: 'Another node reaches the peers',
      expected: false,
      logs: [REUSABLE_YESTERDAY, nodeCreated(2), reach(10, 1, 12, 'nOld1CNTRL'), exitFlow(11, 'nOld1CNTRL')],
    },
  ],
});
