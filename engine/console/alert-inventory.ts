// The inventory of the nodes and users an alert names (in its dedup string, context and kept events), read through the
// inventory reader as of the alert's last event. One that was gone by then (the alert may be about its deletion) is
// shown as it was just before the alert's first event.
import type { Alert } from '../alerts/alert.ts';
import type { InventoryReader } from '../inventory/reader.ts';
import type { InventoryNode, InventoryUser } from '../inventory/records.ts';

export type InvolvedRecord =
  | { kind: 'node'; record: InventoryNode; asOf: string; goneByLastEvent: boolean }
  | { kind: 'user'; record: InventoryUser; asOf: string; goneByLastEvent: boolean };

/** Distinct strings looked up at most (each costs a few indexed reads). */
const MAX_REFS = 500;
/** Everything learned so far counts, whenever it was learned. */
const LEARNED_BY_NOW = Number.MAX_SAFE_INTEGER;

/** null when the alert's tailnet has no inventory. */
export function involvedInventory(reader: InventoryReader, alert: Alert, records: readonly unknown[]): InvolvedRecord[] | null {
  if (!reader.knows(alert.tailnet)) return null;
  const lastMs = Date.parse(alert.lastEventTime);
  const beforeMs = Date.parse(alert.firstEventTime) - 1;
  const found = new Map<string, InvolvedRecord>();
  for (const ref of references([alert.dedup, alert.alertContext, ...records])) {
    for (const kind of ['node', 'user'] as const) {
      const now = reader.find(alert.tailnet, kind, ref, lastMs, LEARNED_BY_NOW);
      const record = now ?? reader.find(alert.tailnet, kind, ref, beforeMs, LEARNED_BY_NOW);
      if (record === undefined || found.has(`${kind}\u0000${record.id}`)) continue;
      const asOf = new Date(now === undefined ? beforeMs : lastMs).toISOString();
      found.set(`${kind}\u0000${record.id}`, { kind, record, asOf, goneByLastEvent: now === undefined } as InvolvedRecord);
    }
  }
  return [...found.values()];
}

/** Every distinct string in the values, and the address of an `ip:port` or `[ip]:port` endpoint. */
function references(values: readonly unknown[]): Set<string> {
  const refs = new Set<string>();
  const visit = (value: unknown): void => {
    if (refs.size >= MAX_REFS) return;
    if (typeof value === 'string') {
      if (value === '' || value.length > 256) return;
      refs.add(value);
      const endpoint = /^\[?([^\]]+?)\]?:\d+$/.exec(value);
      if (endpoint?.[1] !== undefined) refs.add(endpoint[1]);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) visit(item);
    }
  };
  for (const value of values) visit(value);
  return refs;
}
