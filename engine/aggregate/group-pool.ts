// Group cells live in shared chunks (one Float64Array and one key array per 1024 groups), not one typed array
// per group: that overhead would double the memory of a group. Slots of evicted groups are reused.
import { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

const CHUNK_SHIFT = 10;
const CHUNK_GROUPS = 1 << CHUNK_SHIFT;

export class GroupPool {
  readonly #layout: WindowLayout;
  readonly #cellChunks: Float64Array[] = [];
  readonly #keyChunks: (string | undefined)[][] = [];
  readonly #free: number[] = [];
  readonly #released: number[] = [];
  #next = 0;

  constructor(layout: WindowLayout) {
    this.#layout = layout;
  }

  create(tailnet: string, group: string): GroupState {
    const { cells: width, summarySlots, measure } = this.#layout;
    const slot = this.#free.pop() ?? this.#next++;
    const chunk = slot >>> CHUNK_SHIFT;
    if (chunk === this.#cellChunks.length) {
      this.#cellChunks.push(new Float64Array(CHUNK_GROUPS * width));
      this.#keyChunks.push(new Array<string | undefined>(CHUNK_GROUPS * summarySlots).fill(undefined));
    }
    const cells = this.#cellChunks[chunk] as Float64Array;
    const keys = this.#keyChunks[chunk] as (string | undefined)[];
    const index = slot & (CHUNK_GROUPS - 1);
    const base = index * width;
    const keyBase = index * summarySlots;
    cells.fill(0, base, base + width);
    keys.fill(undefined, keyBase, keyBase + summarySlots);
    return new GroupState(tailnet, group, slot, cells, base, keys, keyBase, measure === 'distinct');
  }

  /** The group left the LRU; its slot is reused after the current event (which may still read it). */
  release(state: GroupState): void {
    this.#released.push(state.slot);
  }

  recycle(): void {
    if (this.#released.length === 0) return;
    for (const slot of this.#released) this.#free.push(slot);
    this.#released.length = 0;
  }
}
