// A binary min-heap of (window end, key): the tracker finds the windows a watermark closes without scanning them all.

interface HeapEntry {
  endMs: number;
  key: string;
}

/** Ordered by end time, then key, so the close order never depends on insertion history. */
function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.endMs < b.endMs || (a.endMs === b.endMs && a.key < b.key);
}

export class WindowHeap {
  #entries: HeapEntry[] = [];

  get size(): number {
    return this.#entries.length;
  }

  /** End time of the earliest window, Infinity when empty. */
  peekEndMs(): number {
    return this.#entries[0]?.endMs ?? Infinity;
  }

  push(endMs: number, key: string): void {
    const entries = this.#entries;
    const entry = { endMs, key };
    let index = entries.length;
    entries.push(entry);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentEntry = entries[parent] as HeapEntry;
      if (!before(entry, parentEntry)) break;
      entries[index] = parentEntry;
      index = parent;
    }
    entries[index] = entry;
  }

  pop(): HeapEntry | undefined {
    const entries = this.#entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined || entries.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= entries.length) break;
      const right = left + 1;
      const leftEntry = entries[left] as HeapEntry;
      const rightEntry = entries[right];
      const child = rightEntry !== undefined && before(rightEntry, leftEntry) ? right : left;
      const childEntry = entries[child] as HeapEntry;
      if (!before(childEntry, last)) break;
      entries[index] = childEntry;
      index = child;
    }
    entries[index] = last;
    return top;
  }

  clear(): void {
    this.#entries = [];
  }
}
