// An inventory in memory (SQLite :memory:, the same schema and code as the data directory's): for replay, fed from an
// export or a data directory, and for inline tests, fed from a fixture.
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { migrate } from '../state/schema.ts';
import { InventoryReader } from './reader.ts';
import { InventoryKey, InventoryNode, InventoryPolicy, InventoryUser, POLICY_ID } from './records.ts';
import { InventoryStore } from './store.ts';
import { InventoryTracker } from './tracker.ts';

/** An inline test's inventory: records in force from the start of its logs, in the test's tailnet. */
export const InventoryFixture = z.strictObject({
  nodes: z.array(InventoryNode).optional(),
  /** Nodes in force from the start until `deleted` (RFC 3339), then deleted (see Inventory.deletedNode). */
  deletedNodes: z.array(InventoryNode.extend({ deleted: z.iso.datetime({ offset: true }) })).optional(),
  users: z.array(InventoryUser).optional(),
  keys: z.array(InventoryKey).optional(),
  /** `validFrom`: when this policy version became true (RFC 3339); without it, from the beginning. */
  policy: InventoryPolicy.extend({ validFrom: z.iso.datetime({ offset: true }).optional() }).optional(),
});
export type InventoryFixture = z.infer<typeof InventoryFixture>;

export interface MemoryInventory {
  store: InventoryStore;
  tracker: InventoryTracker;
}

export function memoryInventory(): MemoryInventory {
  const db = new DatabaseSync(':memory:');
  migrate(db);
  const store = new InventoryStore(db);
  return { store, tracker: new InventoryTracker(store, new InventoryReader(db)) };
}

/** A memory inventory holding the fixture's records, valid and learned from the beginning of time (deletions too). */
export function fixtureInventory(fixture: InventoryFixture, tailnet: string): MemoryInventory {
  const inventory = memoryInventory();
  const base = { tailnet, validFrom: Number.MIN_SAFE_INTEGER, learnedAt: Number.MIN_SAFE_INTEGER, origin: 'fixture' };
  for (const node of fixture.nodes ?? []) inventory.store.apply({ ...base, kind: 'node', id: node.id, record: node });
  for (const { deleted, ...node } of fixture.deletedNodes ?? []) {
    inventory.store.apply({ ...base, kind: 'node', id: node.id, record: node });
    inventory.store.apply({ ...base, kind: 'node', id: node.id, record: null, validFrom: Date.parse(deleted) });
  }
  for (const user of fixture.users ?? []) inventory.store.apply({ ...base, kind: 'user', id: user.id, record: user });
  for (const key of fixture.keys ?? []) inventory.store.apply({ ...base, kind: 'key', id: key.id, record: key });
  if (fixture.policy !== undefined) {
    const { validFrom, ...policy } = fixture.policy;
    inventory.store.apply({ ...base, kind: 'policy', id: POLICY_ID, record: policy, ...(validFrom === undefined ? {} : { validFrom: Date.parse(validFrom) }) });
  }
  return inventory;
}
