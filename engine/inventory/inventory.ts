// The rule API: a rule reads the tailnet inventory through `event.inventory`, which answers as of the event's time
// and as of what tailwatch had learned at the event's stream position. Absent (undefined) when no inventory is kept.
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { enrichFlow } from './enrich-flow.ts';
import type { InventoryKey, InventoryNode, InventoryUser, PolicyInForce, Tombstone } from './records.ts';

export interface Inventory {
  /** A node by node ID, MagicDNS name (full or first label), hostname or tailnet IP; undefined when unknown or deleted. */
  node(ref: string): InventoryNode | undefined;
  /**
   * A node deleted by then (webhook nodeDeleted, audit NODE DELETE, or gone from a poll), by the same refs: its last
   * record and when it was deleted. Undefined while a node answers to the ref, or when none ever did.
   */
  deletedNode(ref: string): Tombstone<InventoryNode> | undefined;
  /** A user by id or login name. */
  user(ref: string): InventoryUser | undefined;
  /** An auth key, API access token or OAuth client by id. */
  key(id: string): InventoryKey | undefined;
  /** The policy file in force, with the time its version became true. */
  policy(): PolicyInForce | undefined;
}

/** What a rule's event carries besides its fields: `inventory` is undefined when the evaluator keeps none. */
export interface WithInventory {
  readonly inventory?: Inventory | undefined;
}

/**
 * Gives the event its accessor, not enumerable (alerts, samples and copies of the event do not carry it), and fills
 * in the nodes a flow record does not name.
 */
export function attachInventory(event: TailscaleEvent, inventory: Inventory): void {
  Object.defineProperty(event, 'inventory', { value: inventory, enumerable: false, configurable: true, writable: true });
  if (event.p_log_type === 'Tailscale.Network') enrichFlow(event, inventory);
}
