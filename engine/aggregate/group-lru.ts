// Live groups by key with least-recently-used eviction: a Map for lookups and a list threaded through the
// groups themselves, so a lookup that hits allocates nothing and moves two links.
import type { GroupState } from './group-state.ts';

export class GroupLru {
  readonly #max: number;
  readonly #onEvict: (state: GroupState) => void;
  readonly #byKey = new Map<string, GroupState>();
  #oldest: GroupState | undefined;
  #newest: GroupState | undefined;

  constructor(max: number, onEvict: (state: GroupState) => void) {
    this.#max = max;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** The group of `key`, which becomes the most recently used; undefined when there is none. */
  get(key: string): GroupState | undefined {
    const state = this.#byKey.get(key);
    if (state !== undefined && state !== this.#newest) {
      this.#unlink(state);
      this.#append(state);
    }
    return state;
  }

  /** Adds a group whose key is not live, as the most recently used; past the cap, the least recently used goes. */
  add(state: GroupState): void {
    if (this.#byKey.size >= this.#max && this.#oldest !== undefined) {
      const evicted = this.#oldest;
      this.#unlink(evicted);
      this.#byKey.delete(evicted.key);
      this.#onEvict(evicted);
    }
    this.#byKey.set(state.key, state);
    this.#append(state);
  }

  /** Least recently used first. */
  *values(): Generator<GroupState> {
    for (let state = this.#oldest; state !== undefined; state = state.newer) yield state;
  }

  #append(state: GroupState): void {
    state.older = this.#newest;
    state.newer = undefined;
    if (this.#newest === undefined) this.#oldest = state;
    else this.#newest.newer = state;
    this.#newest = state;
  }

  #unlink(state: GroupState): void {
    if (state.older === undefined) this.#oldest = state.newer;
    else state.older.newer = state.newer;
    if (state.newer === undefined) this.#newest = state.older;
    else state.newer.older = state.older;
  }
}
