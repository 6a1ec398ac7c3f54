import { describe, expect, it } from 'vitest';
import { WindowHeap } from '../../engine/alerts/window-heap.ts';

describe('WindowHeap', () => {
  it('pops entries by end time, then key, whatever the insertion order', () => {
    const entries = Array.from({ length: 500 }, (_, i) => ({ endMs: (i * 7919) % 97, key: `k${(i * 31) % 13}` }));
    const heap = new WindowHeap();
    for (const entry of entries) heap.push(entry.endMs, entry.key);
    expect(heap.size).toBe(500);
    const popped = [];
    for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) popped.push(entry);
    const expected = [...entries].sort((a, b) => a.endMs - b.endMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    expect(popped).toEqual(expected);
    expect(heap.peekEndMs()).toBe(Infinity);
  });
});
