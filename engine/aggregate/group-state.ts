// One group's state: a few small-integer fields, its cells in a shared pool chunk, a capped map for distinct.
// Minutes are epoch minutes; the sentinel is a small integer so V8 keeps these fields unboxed.
import type { SeenMinutes } from './distinct-items.ts';

export const NO_MINUTE = -(2 ** 30);

export class GroupState {
  /** tailnet + NUL + group: groups of different tailnets never mix. */
  readonly key: string;
  readonly tailnet: string;
  /** The rule's group key, as its contributions named it. */
  readonly group: string;
  /** Slot in the pool; `cells[base..]` and `keys[keyBase..]` are this group's (see WindowLayout). */
  readonly slot: number;
  readonly cells: Float64Array;
  readonly base: number;
  readonly keys: (string | undefined)[];
  readonly keyBase: number;
  /** Newest minute bucket this group has seen. */
  head = NO_MINUTE;
  /** First minute this group was seen: the baseline averages only over time the group was observed. */
  firstMinute = NO_MINUTE;
  /** Windows already crossed: bit i is the window ending at minute crossedAt − i (crossed-windows.ts). */
  crossedAt = NO_MINUTE;
  crossedMask = 0;
  /** Id of the last event that touched the group: an event checks each group once, and eviction goes by it. */
  stamp = 0;
  /** distinct measures only: item → the minutes it was seen in (distinct-items.ts), at most layout.distinctCap entries. */
  readonly items: Map<string, SeenMinutes> | undefined;

  constructor(tailnet: string, group: string, slot: number, cells: Float64Array, base: number, keys: (string | undefined)[], keyBase: number, distinct: boolean) {
    this.key = `${tailnet}\0${group}`;
    this.tailnet = tailnet;
    this.group = group;
    this.slot = slot;
    this.cells = cells;
    this.base = base;
    this.keys = keys;
    this.keyBase = keyBase;
    this.items = distinct ? new Map() : undefined;
  }
}
