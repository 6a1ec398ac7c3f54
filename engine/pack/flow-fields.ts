// Small readers for flow records that the shipped traffic rules (and rule authors) use in titles and context.
import type { Emit } from '../aggregate/types.ts';
import type { WithInventory } from '../inventory/inventory.ts';
import type { InventoryNode } from '../inventory/records.ts';
import { GenerationCache } from '../schemas/generation-cache.ts';
import type { NetworkEvent, NodeInfo, TrafficEntry } from '../schemas/network.ts';
import { dstEndpoints } from '../schemas/traffic-endpoints.ts';

/** The source or destination node of a flow record that owns this address, if the record names it. */
export function nodeWithAddress(event: NetworkEvent, ip: string): NodeInfo | undefined {
  const { srcNode, dstNodes } = event.event;
  if (srcNode?.addresses?.includes(ip)) return srcNode;
  return dstNodes?.find((node) => node.addresses?.includes(ip));
}

/** The logging node's name (from the record, else from the inventory as of the event), else its id. */
export function sourceNodeLabel(event: NetworkEvent & WithInventory): string {
  return event.event.srcNode?.name || event.inventory?.node(event.event.nodeId)?.name || event.event.nodeId;
}

/**
 * True when the inventory, as of the event, shows the node (`ref`: id, name or IP) created more than `hours` before the
 * event; false without inventory, for a node it does not know, or one without a creation time.
 */
export function nodeOlderThan(event: NetworkEvent & WithInventory, ref: string, hours: number): boolean {
  const created = Date.parse(event.inventory?.node(ref)?.created ?? '');
  return Date.parse(event.p_event_time) - created > hours * 3_600_000;
}

/** `web-1.example.ts.net (alice@example.com; tag:prod)`: a node's name with its owner and tags, for titles. */
export function inventoryNodeLabel(node: InventoryNode): string {
  const details = [node.user, ...(node.tags ?? [])].filter((part) => part !== undefined && part !== '');
  const name = node.name ?? node.hostname ?? node.id;
  return details.length === 0 ? name : `${name} (${details.join('; ')})`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 13421772800 → "12.5 GiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

const labelsBySource = new GenerationCache<string, Map<number | undefined, string>>(1024);
const newPortMap = () => new Map<number | undefined, string>();
/** Ports cached per source: a source that reaches many ports (a scan) gets fresh labels beyond these. */
const PORTS_PER_SOURCE = 64;

/**
 * "laptop-1.example.ts.net → :5432", a contributor label. The same source and port give the very same string in
 * every record (a cache of at most 2 × 1024 sources × 64 ports), so the aggregator compares labels by reference.
 */
export function sourcePortLabel(source: string, port: number | undefined): string {
  const byPort = labelsBySource.get(source, newPortMap);
  let label = byPort.get(port);
  if (label === undefined) {
    label = `${source} → :${port ?? '?'}`;
    if (byPort.size < PORTS_PER_SOURCE) byPort.set(port, label);
  }
  return label;
}

/**
 * The contributions of a bytes-per-destination rule: each entry's txBytes under its destination IP, credited to
 * "source node → :port". Entries without bytes, without a destination IP or to an `expected` IP count for nothing.
 */
export function emitBytesByDestination(event: NetworkEvent, entries: readonly TrafficEntry[] | undefined, expected: readonly string[], emit: Emit): void {
  if (entries === undefined) return;
  const source = sourceNodeLabel(event);
  const destinations = dstEndpoints(entries);
  for (let i = 0; i < entries.length; i++) {
    const bytes = entries[i]!.txBytes;
    if (!bytes) continue;
    const { ip, port } = destinations[i]!;
    if (ip === undefined || expected.includes(ip)) continue;
    emit(ip, bytes, sourcePortLabel(source, port));
  }
}
