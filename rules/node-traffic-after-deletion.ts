// A node Tailscale reported deleted still sends or receives traffic: its node key still works somewhere, or the data
// plane does not follow the control plane. Needs the tailnet inventory, which keeps deleted nodes as tombstones.
import { defineRule, dstEndpoints, inventoryNodeLabel, sourceNodeLabel, srcEndpoints, z } from '../engine/index.ts';
import type { InventoryNode, NetworkEvent, Tombstone, WithInventory } from '../engine/index.ts';

type FlowEvent = NetworkEvent & WithInventory;

/** The tailnet IPs of the other side of the flow's virtual traffic (not those of the logging node, when known). */
function peerIps(e: FlowEvent): Set<string> {
  const traffic = e.event.virtualTraffic ?? [];
  const own = e.event.srcNode?.addresses ?? [];
  const ips = new Set<string>();
  for (const { ip } of [...srcEndpoints(traffic), ...dstEndpoints(traffic)]) if (ip !== undefined && !own.includes(ip)) ips.add(ip);
  return ips;
}

/**
 * The first node of the flow deleted before its window began (plus the grace): the logging node by id, then the
 * other side of its traffic by tailnet IP. `logger` says whether the deleted node logged the flow itself.
 */
function deletedNodeIn(e: FlowEvent, graceSeconds: number): { tombstone: Tombstone<InventoryNode>; logger: boolean } | undefined {
  const inventory = e.inventory;
  if (inventory === undefined) return undefined;
  const startMs = Date.parse(e.event.start);
  for (const ref of [e.event.nodeId, ...peerIps(e)]) {
    const tombstone = inventory.deletedNode(ref);
    if (tombstone !== undefined && startMs >= Date.parse(tombstone.deletedAt) + graceSeconds * 1000) return { tombstone, logger: ref === e.event.nodeId };
  }
  return undefined;
}

const DELETED = { id: 'nOld1CNTRL', name: 'old-1.example.ts.net', user: 'bob@example.com', tags: ['tag:ci'], addresses: ['100.64.0.9'] };
/** A flow logged by `nodeId`, from `src` to `dst`, in the five seconds from `start`. */
const flow = (nodeId: string, start: string, src: string, dst: string) => {
  const end = new Date(Date.parse(start) + 5000).toISOString();
  return { logged: end, nodeId, start, end, virtualTraffic: [{ proto: 6, src, dst, txBytes: 1200, rxBytes: 800 }] };
};
/** Old-1 (100.64.0.9) calls web-1's port 443, as old-1 logs it; as web-1 logs it. */
const fromOld = (start: string) => flow('nOld1CNTRL', start, '100.64.0.9:50000', '100.64.0.7:443');
const toWeb = (start: string) => flow('nWeb1CNTRL', start, '100.64.0.9:50000', '100.64.0.7:443');
const WEB = { id: 'nWeb1CNTRL', name: 'web-1.example.ts.net', user: 'alice@example.com', addresses: ['100.64.0.7'] };

export default defineRule({
  id: 'Tailscale.Node.Traffic.After.Deletion',
  displayName: 'Tailscale node deleted but still has traffic',
  logTypes: ['Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Inventory', 'Initial Access', 'Defense Evasion'],
  reports: { 'MITRE ATT&CK': ['TA0001:T1078', 'TA0005:T1562'] },
  options: z.object({
    graceSeconds: z.int().min(0).max(3600).default(60).describe('A flow window that begins less than this many seconds after the deletion does not count (traffic in flight, clock skew between the node and the control plane).'),
  }),
  description:
    'A flow record logged by a node that the tailnet inventory, as of the flow\'s time, shows deleted (webhook ' +
    'nodeDeleted, audit NODE DELETE, or gone from a device poll), or whose virtual traffic has a tailnet IP that no ' +
    'node holds then and a deleted node last held; the flow window begins graceSeconds or more after the deletion. A ' +
    'flow before the deletion, or a deleted node\'s IP given to a new node, does not match. Without inventory the rule never matches.',
  runbook:
    'Find the device: its last owner and tags are in the alert. Make sure its node key is gone (tailnet lock, key ' +
    'revocation), check the peers it still reaches, and look for a copied state directory on other machines.',
  reference: 'https://tailscale.com/kb/1175/logging',
  rule: (e, o) => deletedNodeIn(e, o.graceSeconds) !== undefined,
  title: (e, o) => {
    const hit = deletedNodeIn(e, o.graceSeconds);
    if (hit === undefined) return `Tailscale flow of ${e.event.nodeId} from a deleted node`;
    const { record, deletedAt } = hit.tombstone;
    // A node deleted before the inventory saw it has only its id; a flow it logged itself may name it.
    const label = record.name === undefined && hit.logger ? sourceNodeLabel(e) : inventoryNodeLabel(record);
    const what = `Tailscale node ${label}, deleted at ${deletedAt}`;
    return hit.logger ? `${what}, still logs traffic` : `${what}, still has traffic with ${sourceNodeLabel(e)}`;
  },
  dedup: (e, o) => deletedNodeIn(e, o.graceSeconds)?.tombstone.record.id ?? e.event.nodeId,
  alertContext: (e, o) => {
    const hit = deletedNodeIn(e, o.graceSeconds);
    const node = hit?.tombstone.record;
    return { nodeId: node?.id, name: node?.name, owner: node?.user, tags: node?.tags, addresses: node?.addresses, deletedAt: hit?.tombstone.deletedAt, loggedBy: e.event.nodeId, flowStart: e.event.start };
  },
  tests: [
    {
      name: 'The deleted node logs a flow half an hour after its deletion',
      expected: true,
      title: 'Tailscale node old-1.example.ts.net (bob@example.com; tag:ci), deleted at 2026-08-10T08:30:00.000Z, still logs traffic',
      dedup: 'nOld1CNTRL',
      severity: 'HIGH',
      alertContext: { owner: 'bob@example.com', deletedAt: '2026-08-10T08:30:00.000Z', loggedBy: 'nOld1CNTRL' },
      inventory: { nodes: [WEB], deletedNodes: [{ ...DELETED, deleted: '2026-08-10T08:30:00Z' }] },
      log: fromOld('2026-08-10T09:00:00.000Z'),
    },
    {
      name: 'A live node logs traffic with the deleted node\'s IP',
      expected: true,
      title: 'Tailscale node old-1.example.ts.net (bob@example.com; tag:ci), deleted at 2026-08-10T08:30:00.000Z, still has traffic with web-1.example.ts.net',
      dedup: 'nOld1CNTRL',
      alertContext: { loggedBy: 'nWeb1CNTRL' },
      inventory: { nodes: [WEB], deletedNodes: [{ ...DELETED, deleted: '2026-08-10T08:30:00Z' }] },
      log: toWeb('2026-08-10T09:00:00.000Z'),
    },
    {
      name: 'A node deleted unseen by the inventory, named by its own flow record',
      expected: true,
      title: 'Tailscale node old-1.example.ts.net, deleted at 2026-08-10T08:30:00.000Z, still logs traffic',
      inventory: { deletedNodes: [{ id: 'nOld1CNTRL', deleted: '2026-08-10T08:30:00Z' }] },
      log: { ...fromOld('2026-08-10T09:00:00.000Z'), srcNode: { nodeId: 'nOld1CNTRL', name: 'old-1.example.ts.net', addresses: ['100.64.0.9'] } },
    },
    {
      name: 'A flow from before the deletion',
      expected: false,
      inventory: { nodes: [WEB], deletedNodes: [{ ...DELETED, deleted: '2026-08-10T09:10:00Z' }] },
      log: fromOld('2026-08-10T09:00:00.000Z'),
    },
    {
      name: 'A window that begins within the grace after the deletion',
      expected: false,
      inventory: { nodes: [WEB], deletedNodes: [{ ...DELETED, deleted: '2026-08-10T08:59:30Z' }] },
      log: fromOld('2026-08-10T09:00:00.000Z'),
    },
    {
      name: 'The deleted node\'s IP now belongs to a new node',
      expected: false,
      inventory: { nodes: [WEB, { id: 'nNew1CNTRL', name: 'new-1.example.ts.net', addresses: ['100.64.0.9'] }], deletedNodes: [{ ...DELETED, deleted: '2026-08-10T08:30:00Z' }] },
      log: toWeb('2026-08-10T09:00:00.000Z'),
    },
    {
      name: 'No inventory: no alert',
      expected: false,
      log: fromOld('2026-08-10T09:00:00.000Z'),
    },
  ],
});
