// A flow record that names no srcNode or dstNodes (a redacted or minimal export) gets them from the inventory as of
// its time: the logging node by id, destinations by the tailnet IPs of its virtual traffic. Each node filled in is
// marked `enriched: true`, so a rule or a reader can tell them from what Tailscale logged.
import type { NetworkEvent, NodeInfo } from '../schemas/network.ts';
import { dstEndpoints } from '../schemas/traffic-endpoints.ts';
import type { Inventory } from './inventory.ts';
import type { InventoryNode } from './records.ts';

export function enrichFlow(event: NetworkEvent, inventory: Inventory): void {
  const record = event.event;
  if (record.srcNode === undefined) {
    const node = inventory.node(record.nodeId);
    if (node !== undefined) record.srcNode = nodeInfo(node);
  }
  if (record.dstNodes === undefined && record.virtualTraffic !== undefined) {
    const found = new Map<string, NodeInfo>();
    for (const { ip } of dstEndpoints(record.virtualTraffic)) {
      const node = ip === undefined ? undefined : inventory.node(ip);
      if (node !== undefined && !found.has(node.id)) found.set(node.id, nodeInfo(node));
    }
    if (found.size > 0) record.dstNodes = [...found.values()];
  }
}

function nodeInfo(node: InventoryNode): NodeInfo {
  const info: NodeInfo = { nodeId: node.id, enriched: true };
  if (node.name !== undefined) info.name = node.name;
  if (node.addresses !== undefined) info.addresses = node.addresses;
  if (node.os !== undefined) info.os = node.os;
  if (node.user !== undefined) info.user = node.user;
  if (node.tags !== undefined) info.tags = node.tags;
  return info;
}
