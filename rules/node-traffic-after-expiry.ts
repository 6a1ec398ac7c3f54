// A node Tailscale reported as key-expired or unapproved still sends traffic: stale credentials in use, or a
// control-plane state the data plane does not follow. Needs the tailnet inventory (webhooks, audit events, polls).
import { defineRule, inventoryNodeLabel } from '../engine/index.ts';
import type { InventoryNode, NetworkEvent, WithInventory } from '../engine/index.ts';

/** Why the node should not be talking as of the event's time, or undefined when nothing says so. */
function standing(node: InventoryNode | undefined, eventTimeMs: number): string | undefined {
  if (node === undefined) return undefined;
  if (node.authorized === false) return 'is not approved';
  if (node.keyExpired === true) return 'has an expired node key';
  const expiry = node.keyExpiry === undefined ? NaN : Date.parse(node.keyExpiry);
  if (node.keyExpiryDisabled !== true && expiry < eventTimeMs) return `has a node key that expired at ${node.keyExpiry}`;
  return undefined;
}

/** The flow every test evaluates: web-1 sends 10 bytes at 09:00. */
const FLOW = { logged: '2026-08-10T09:00:05Z', nodeId: 'nWeb1CNTRL', start: '2026-08-10T09:00:00Z', end: '2026-08-10T09:00:05Z', virtualTraffic: [{ proto: 6, src: '100.64.0.7:443', dst: '100.64.0.9:50000', txBytes: 10 }] };

const nodeOf = (e: NetworkEvent & WithInventory) => e.inventory?.node(e.event.nodeId);

export default defineRule({
  id: 'Tailscale.Node.Traffic.After.Expiry',
  displayName: 'Tailscale node sends traffic while expired or unapproved',
  logTypes: ['Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Inventory', 'Initial Access'],
  reports: { 'MITRE ATT&CK': ['TA0001:T1078'] },
  description:
    'The node that logged this flow is, per the tailnet inventory as of the flow\'s time, unapproved or past its node key ' +
    'expiry (reported by webhook nodeKeyExpired, or its keyExpiry passed with expiry enabled). Without inventory the rule ' +
    'never matches. A deleted node is covered by Tailscale.Node.Traffic.After.Deletion.',
  runbook: 'Check the node in the admin console; if it should not be on the tailnet, remove it and rotate what it could reach.',
  reference: 'https://tailscale.com/kb/1028/key-expiry',
  rule: (e) => standing(nodeOf(e), Date.parse(e.p_event_time)) !== undefined,
  title: (e) => {
    const node = nodeOf(e);
    return `Tailscale node ${node === undefined ? e.event.nodeId : inventoryNodeLabel(node)} sends traffic but ${standing(node, Date.parse(e.p_event_time)) ?? 'is in good standing'}`;
  },
  dedup: (e) => e.event.nodeId,
  alertContext: (e) => {
    const node = nodeOf(e);
    return { nodeId: e.event.nodeId, name: node?.name, owner: node?.user, tags: node?.tags, keyExpiry: node?.keyExpiry, authorized: node?.authorized };
  },
  tests: [
    {
      name: 'Flow from a node whose key expired before the flow',
      expected: true,
      title: 'Tailscale node web-1.example.ts.net (alice@example.com; tag:web) sends traffic but has a node key that expired at 2026-08-10T08:00:00Z',
      dedup: 'nWeb1CNTRL',
      alertContext: { owner: 'alice@example.com', tags: ['tag:web'] },
      inventory: { nodes: [{ id: 'nWeb1CNTRL', name: 'web-1.example.ts.net', user: 'alice@example.com', tags: ['tag:web'], keyExpiry: '2026-08-10T08:00:00Z' }] },
      log: FLOW,
    },
    {
      name: 'Flow from an unapproved node',
      expected: true,
      inventory: { nodes: [{ id: 'nWeb1CNTRL', name: 'web-1.example.ts.net', authorized: false }] },
      log: FLOW,
    },
    {
      name: 'Key expiry disabled',
      expected: false,
      inventory: { nodes: [{ id: 'nWeb1CNTRL', keyExpiry: '2026-08-10T08:00:00Z', keyExpiryDisabled: true, authorized: true }] },
      log: FLOW,
    },
    {
      name: 'No inventory: no alert',
      expected: false,
      log: FLOW,
    },
  ],
});
