// Per-key dedup window state: plain JSON-able records behind a small store interface (memory now, SQLite in `run`).
import type { Alert } from './alert.ts';

/** One dedup window of one key (type + rule id + dedup string). */
export interface AlertWindow {
  ruleId: string;
  /** Event time (ms) of the match that opened the window; with the key it fixes the alert id. */
  startMs: number;
  /** startMs + dedup period: matches at or after this open a new window. */
  endMs: number;
  /** Earliest and latest event time (ms) of the matches in the window. */
  firstMs: number;
  lastMs: number;
  matchCount: number;
  threshold: number;
  /** The alert, once `threshold` matches were seen; null until then. */
  alert: Alert | null;
}

export interface AlertStateStore {
  get(key: string): AlertWindow | undefined;
  /** Stores (or replaces) the window of a key; call it after every change so durable stores persist it. */
  set(key: string, window: AlertWindow): void;
  delete(key: string): void;
  entries(): Iterable<[string, AlertWindow]>;
  /** Number of open windows. */
  readonly size: number;
  /** Windows the store dropped on its own (bounded stores) since the last call; the tracker closes them. */
  drainEvicted(): [string, AlertWindow][];
}
