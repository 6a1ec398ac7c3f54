// An aggregator's live groups without one object per group: a group is a slot number, looked up by tailnet and group
// key, whose state is in shared chunks (small integers; the stamp and the amount of a one-minute group; the minute
// cells once a group has more than one minute) and in entry lists (top contributors; a distinct group's items).
// Capped: at the cap, the least recently touched tenth is evicted at once. Slots and cells of evicted groups are
// reused only after the current event (which may still read them).
import { EntryLists, NO_LIST } from './entry-lists.ts';
import type { WindowLayout } from './window-layout.ts';

/** Minutes are epoch minutes; the sentinel is a small integer so the Int32 fields hold it. */
export const NO_MINUTE = -(2 ** 30);

const CHUNK_SHIFT = 10;
const CHUNK_GROUPS = 1 << CHUNK_SHIFT;
/** Share of the cap evicted together: a sort per tenth of the cap keeps eviction O(log n) per added group. */
const EVICT_SHARE = 0.1;

// The Int32 fields of a group; distinct groups also have their item list.
const HEAD = 0;
const FIRST_MINUTE = 1;
const CROSSED_AT = 2;
const CROSSED_MASK = 3;
const CONTRIBUTORS = 4;
const CONTRIBUTOR_COUNT = 5;
const CELLS = 6;
const ITEMS = 6;
const ITEM_COUNT = 7;
// The float fields of a group.
const STAMP = 0;
const ONE_MINUTE_AMOUNT = 1;
const NO_CELLS = -1;

/**
 * One group's fields, read and written in place. The store has one, bound to a slot by `at()`: the aggregator works
 * on one group at a time and binds it again after touching another.
 */
export class Group {
  slot = 0;
  meta = new Int32Array(0);
  m = 0;
  floats = new Float64Array(0);
  f = 0;
  /** `cells[base..base + layout.cells)`: the minute ring and the hour buckets (WindowLayout), if `hasCells`. */
  cells = new Float64Array(0);
  base = 0;

  /** sum and count measures: false while every contribution was in one minute (the head); then `oneMinuteAmount` is its total. */
  get hasCells(): boolean {
    return this.meta[this.m + CELLS] !== NO_CELLS;
  }
  get oneMinuteAmount(): number {
    return this.floats[this.f + ONE_MINUTE_AMOUNT]!;
  }
  set oneMinuteAmount(amount: number) {
    this.floats[this.f + ONE_MINUTE_AMOUNT] = amount;
  }

  /** Newest minute bucket this group has seen. */
  get head(): number {
    return this.meta[this.m + HEAD]!;
  }
  set head(minute: number) {
    this.meta[this.m + HEAD] = minute;
  }
  /** First minute this group was seen: the baseline averages only over time the group was observed. */
  get firstMinute(): number {
    return this.meta[this.m + FIRST_MINUTE]!;
  }
  set firstMinute(minute: number) {
    this.meta[this.m + FIRST_MINUTE] = minute;
  }
  /** Windows already crossed: bit i is the window ending at minute crossedAt − i (crossed-windows.ts). */
  get crossedAt(): number {
    return this.meta[this.m + CROSSED_AT]!;
  }
  set crossedAt(minute: number) {
    this.meta[this.m + CROSSED_AT] = minute;
  }
  get crossedMask(): number {
    return this.meta[this.m + CROSSED_MASK]! >>> 0;
  }
  set crossedMask(mask: number) {
    this.meta[this.m + CROSSED_MASK] = mask;
  }
  /** Top-contributor list (top-contributors.ts) and its length. */
  get contributors(): number {
    return this.meta[this.m + CONTRIBUTORS]!;
  }
  set contributors(ref: number) {
    this.meta[this.m + CONTRIBUTORS] = ref;
  }
  get contributorCount(): number {
    return this.meta[this.m + CONTRIBUTOR_COUNT]!;
  }
  set contributorCount(count: number) {
    this.meta[this.m + CONTRIBUTOR_COUNT] = count;
  }
  /** distinct measures only: the item list (distinct-items.ts) and its length, at most layout.distinctCap. */
  get items(): number {
    return this.meta[this.m + ITEMS]!;
  }
  set items(ref: number) {
    this.meta[this.m + ITEMS] = ref;
  }
  get itemCount(): number {
    return this.meta[this.m + ITEM_COUNT]!;
  }
  set itemCount(count: number) {
    this.meta[this.m + ITEM_COUNT] = count;
  }
}

/** A live group as the snapshot and eviction see it. */
export interface LiveGroup {
  tailnet: string;
  group: string;
  slot: number;
}

export class GroupStore {
  readonly #layout: WindowLayout;
  readonly #metaWidth: number;
  readonly #floatWidth: number;
  /** Top contributors: a string, then amount and previous-epoch amount (floats) and epoch (int). */
  readonly contributors: EntryLists;
  /** distinct measures: an item, then its recent-minutes bitmask and latest older minute (ints). */
  readonly items: EntryLists;
  /** Groups of different tailnets never mix: group key → slot, per tailnet. */
  readonly #byTailnet = new Map<string, Map<string, number>>();
  readonly #meta: Int32Array<ArrayBuffer>[] = [];
  /** The stamp (the id of the last event that touched the group: an event checks each group once, and eviction goes by it), the one-minute amount. */
  readonly #floats: Float64Array<ArrayBuffer>[] = [];
  /** Cell blocks, CHUNK_GROUPS per chunk, taken by groups with more than one minute. */
  readonly #cells: Float64Array<ArrayBuffer>[] = [];
  #nextCells = 0;
  readonly #freeCells: number[] = [];
  readonly #free: number[] = [];
  readonly #released: number[] = [];
  readonly #group = new Group();
  #next = 0;
  #size = 0;

  constructor(layout: WindowLayout) {
    this.#layout = layout;
    this.#metaWidth = layout.measure === 'distinct' ? 8 : 7;
    this.#floatWidth = layout.measure === 'distinct' ? 1 : 2;
    this.contributors = new EntryLists(layout.summarySlots, 2, 1);
    this.items = new EntryLists(layout.measure === 'distinct' ? layout.distinctCap : 1, 0, 2);
  }

  get size(): number {
    return this.#size;
  }

  /** The slot of a live group, or -1. */
  find(tailnet: string, group: string): number {
    return this.#byTailnet.get(tailnet)?.get(group) ?? -1;
  }

  /** The group in `slot`, bound for reading and writing (until the next call). */
  at(slot: number): Group {
    const group = this.#group;
    const chunk = slot >>> CHUNK_SHIFT;
    const index = slot & (CHUNK_GROUPS - 1);
    group.slot = slot;
    group.meta = this.#meta[chunk]!;
    group.m = index * this.#metaWidth;
    group.floats = this.#floats[chunk]!;
    group.f = index * this.#floatWidth;
    if (this.#layout.measure !== 'distinct' && group.hasCells) this.#bindCells(group);
    return group;
  }

  #bindCells(group: Group): void {
    const block = group.meta[group.m + CELLS]!;
    group.cells = this.#cells[block >>> CHUNK_SHIFT]!;
    group.base = (block & (CHUNK_GROUPS - 1)) * this.#layout.cells;
  }

  /** Gives a one-minute group its cells, all zero (the caller moves the one-minute amount into them). */
  addCells(group: Group): void {
    const block = this.#freeCells.pop() ?? this.#nextCells++;
    if (block >>> CHUNK_SHIFT === this.#cells.length) this.#cells.push(new Float64Array(CHUNK_GROUPS * this.#layout.cells));
    group.meta[group.m + CELLS] = block;
    this.#bindCells(group);
    group.cells.fill(0, group.base, group.base + this.#layout.cells);
  }

  stamp(slot: number): number {
    return this.#floats[slot >>> CHUNK_SHIFT]![(slot & (CHUNK_GROUPS - 1)) * this.#floatWidth + STAMP]!;
  }

  setStamp(slot: number, stamp: number): void {
    this.#floats[slot >>> CHUNK_SHIFT]![(slot & (CHUNK_GROUPS - 1)) * this.#floatWidth + STAMP] = stamp;
  }

  /** Adds a group whose key is not live and returns its slot; at the cap, evicts first (`onEvict` gets their slots). */
  add(tailnet: string, group: string, onEvict: (slots: number[]) => void): number {
    if (this.#size >= this.#layout.maxGroups) onEvict(this.#evict());
    let groups = this.#byTailnet.get(tailnet);
    if (groups === undefined) {
      groups = new Map();
      this.#byTailnet.set(tailnet, groups);
    }
    const slot = this.#free.pop() ?? this.#next++;
    groups.set(flat(group), slot);
    this.#size += 1;
    this.#initialise(slot);
    return slot;
  }

  #initialise(slot: number): void {
    const chunk = slot >>> CHUNK_SHIFT;
    if (chunk === this.#meta.length) {
      this.#meta.push(new Int32Array(CHUNK_GROUPS * this.#metaWidth));
      this.#floats.push(new Float64Array(CHUNK_GROUPS * this.#floatWidth));
    }
    this.setStamp(slot, 0);
    const group = this.at(slot);
    group.head = NO_MINUTE;
    group.firstMinute = NO_MINUTE;
    group.crossedAt = NO_MINUTE;
    group.crossedMask = 0;
    group.contributors = this.contributors.allocate();
    group.contributorCount = 0;
    if (this.#layout.measure === 'distinct') {
      group.items = this.items.allocate();
      group.itemCount = 0;
    } else {
      group.meta[group.m + CELLS] = NO_CELLS;
      group.oneMinuteAmount = 0;
    }
  }

  /** Least recently touched first; among equal stamps (one event's groups), the first added first. */
  live(): LiveGroup[] {
    const groups: LiveGroup[] = [];
    for (const [tailnet, byGroup] of this.#byTailnet) for (const [group, slot] of byGroup) groups.push({ tailnet, group, slot });
    return groups.sort((a, b) => this.stamp(a.slot) - this.stamp(b.slot));
  }

  #evict(): number[] {
    const oldest = this.live();
    // At least one goes: the size is at the cap, and the cap is above what is kept.
    const count = oldest.length - Math.floor(this.#layout.maxGroups * (1 - EVICT_SHARE));
    const evicted: number[] = [];
    for (let i = 0; i < count; i++) {
      const { tailnet, group, slot } = oldest[i]!;
      this.#byTailnet.get(tailnet)?.delete(group);
      this.#size -= 1;
      this.#released.push(slot);
      evicted.push(slot);
    }
    return evicted;
  }

  /** Frees the slots evicted during the event just processed. */
  recycle(): void {
    if (this.#released.length === 0) return;
    for (const slot of this.#released) {
      const group = this.at(slot);
      this.contributors.release(group.contributors);
      if (this.#layout.measure === 'distinct') this.items.release(group.items);
      else if (group.hasCells) this.#freeCells.push(group.meta[group.m + CELLS]!);
      group.contributors = NO_LIST;
      this.#free.push(slot);
    }
    this.#released.length = 0;
  }
}

/**
 * The key as one flat string. Concatenations of 13 or more characters are rope nodes that a Map keeps as they are
 * (a rope node and its flattened text, twice the memory); JSON's round trip gives the same text as one string.
 */
function flat(key: string): string {
  return key.length < 13 ? key : (JSON.parse(JSON.stringify(key)) as string);
}
