// An in-memory AlertStateStore bounded by lru-cache: past `maxWindows`, the least recently used window is evicted.
import { LRUCache } from 'lru-cache';
import type { AlertStateStore, AlertWindow } from './state-store.ts';

export const DEFAULT_MAX_WINDOWS = 100_000;

const NONE: [string, AlertWindow][] = [];

export function createMemoryStateStore(options: { maxWindows?: number } = {}): AlertStateStore {
  let evicted: [string, AlertWindow][] = NONE;
  const cache = new LRUCache<string, AlertWindow>({
    max: options.maxWindows ?? DEFAULT_MAX_WINDOWS,
    dispose: (window, key, reason) => {
      if (reason !== 'evict') return;
      if (evicted === NONE) evicted = [];
      evicted.push([key, window]);
    },
  });
  return {
    get: (key) => cache.get(key),
    set: (key, window) => {
      cache.set(key, window);
    },
    delete: (key) => {
      cache.delete(key);
    },
    entries: () => cache.entries(),
    get size() {
      return cache.size;
    },
    drainEvicted: () => {
      const drained = evicted;
      evicted = NONE;
      return drained;
    },
  };
}
