import { describe, expect, it } from 'vitest';
import { createMemoryStateStore } from '../../engine/alerts/memory-store.ts';
import type { AlertWindow } from '../../engine/alerts/state-store.ts';

const window = (startMs: number): AlertWindow => ({
  ruleId: 'Test.Rule', startMs, endMs: startMs + 1, firstMs: startMs, lastMs: startMs, matchCount: 1, threshold: 1, alert: null,
});

describe('createMemoryStateStore', () => {
  it('evicts the least recently used window past maxWindows and reports it once', () => {
    const store = createMemoryStateStore({ maxWindows: 2 });
    store.set('a', window(1));
    store.set('b', window(2));
    store.get('a');
    store.set('c', window(3));
    expect(store.size).toBe(2);
    expect(store.drainEvicted()).toEqual([['b', window(2)]]);
    expect(store.drainEvicted()).toEqual([]);
    expect(new Map(store.entries())).toEqual(new Map([['a', window(1)], ['c', window(3)]]));
  });

  it('does not report replaced or deleted windows as evicted', () => {
    const store = createMemoryStateStore({ maxWindows: 2 });
    store.set('a', window(1));
    store.set('a', window(2));
    store.delete('a');
    expect(store.get('a')).toBeUndefined();
    expect(store.drainEvicted()).toEqual([]);
  });
});
