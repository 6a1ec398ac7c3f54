// Live groups by key, capped. Each group carries the stamp of the last event that touched it (GroupState.stamp), so
// a lookup is a Map.get that writes nothing; at the cap, the least recently touched tenth is evicted at once.
import type { GroupState } from './group-state.ts';

/** Share of the cap evicted together: a sort per tenth of the cap keeps eviction O(log n) per added group. */
const EVICT_SHARE = 0.1;

const byStamp = (a: GroupState, b: GroupState): number => a.stamp - b.stamp;

export class GroupLru {
  readonly #max: number;
  readonly #onEvict: (state: GroupState) => void;
  readonly #byKey = new Map<string, GroupState>();

  constructor(max: number, onEvict: (state: GroupState) => void) {
    this.#max = max;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#byKey.size;
  }

  get(key: string): GroupState | undefined {
    return this.#byKey.get(key);
  }

  /** Adds a group whose key is not live; at the cap, the least recently touched groups go first. */
  add(state: GroupState): void {
    if (this.#byKey.size >= this.#max) this.#evict();
    this.#byKey.set(state.key, state);
  }

  /** Least recently touched first; among equal stamps, the first added first (the sort is stable). */
  values(): GroupState[] {
    return [...this.#byKey.values()].sort(byStamp);
  }

  #evict(): void {
    const oldest = this.values();
    // At least one goes: the size is at the cap, and the cap is above what is kept.
    const count = oldest.length - Math.floor(this.#max * (1 - EVICT_SHARE));
    for (let i = 0; i < count; i++) {
      const evicted = oldest[i]!;
      this.#byKey.delete(evicted.key);
      this.#onEvict(evicted);
    }
  }
}
