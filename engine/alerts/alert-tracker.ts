// Matches → alerts: dedup windows and thresholds on event time, fed by per-event rules and aggregate rules alike.
// An alert's title, severity and context come from the match that created it (the threshold-th of its window);
// later matches in the window only add to its count and last event time.
import type { Alert } from './alert.ts';
import { alertIdOf, windowKey } from './alert-id.ts';
import type { AlertStateStore, AlertWindow } from './state-store.ts';
import { WindowHeap } from './window-heap.ts';

/** What an alert takes from the match that creates it (the rest is filled in by the window). */
export type AlertFields = Omit<Alert, 'alertId' | 'eventCount' | 'firstEventTime' | 'lastEventTime'>;

export interface AlertMatch {
  /** Event time of the match, ms since the epoch. */
  eventTimeMs: number;
  dedupPeriodMinutes: number;
  /** Matches in the window before the alert is created (RULE_ERROR matches use 1). */
  threshold: number;
  /** type, ruleId and dedup form the window key. */
  alert: AlertFields;
}

/** Alerts to deliver now (threshold reached) and alerts whose window is over (final count and last event time). */
export interface AlertChanges {
  created: Alert[];
  closed: Alert[];
}

const MS_PER_MINUTE = 60_000;

export class AlertTracker {
  readonly #store: AlertStateStore;
  readonly #heap = new WindowHeap();
  #watermarkMs: number;

  /** Rebuilds the close schedule from the store, so a durable store resumes where it left off. */
  constructor(store: AlertStateStore, options: { watermarkMs?: number } = {}) {
    this.#store = store;
    this.#watermarkMs = options.watermarkMs ?? -Infinity;
    for (const [key, window] of store.entries()) this.#heap.push(window.endMs, key);
  }

  /** The latest event time seen: windows that end at or before it are closed. */
  get watermarkMs(): number {
    return this.#watermarkMs;
  }

  /** Adds a match to its key's window (opening one if needed); pushes the alert if this match reaches the threshold. */
  record(match: AlertMatch, changes: AlertChanges): void {
    const { alert: fields, eventTimeMs } = match;
    const key = windowKey(fields.type, fields.ruleId, fields.dedup);
    let window = this.#store.get(key);
    if (window !== undefined && eventTimeMs >= window.endMs) {
      this.#close(key, window, changes);
      window = undefined;
    }
    if (window === undefined) {
      window = this.#open(key, match);
    } else {
      window.matchCount += 1;
      if (eventTimeMs < window.firstMs) window.firstMs = eventTimeMs;
      if (eventTimeMs > window.lastMs) window.lastMs = eventTimeMs;
    }
    if (window.alert === null && window.matchCount >= window.threshold) {
      window.alert = { alertId: alertIdOf(key, window.startMs), ...fields, eventCount: 0, firstEventTime: '', lastEventTime: '' };
      changes.created.push({ ...finalize(window, window.alert) });
    }
    this.#store.set(key, window);
    this.#closeEvicted(changes);
  }

  /** Moves the watermark to eventTimeMs (if later); true when windows are now due to close (see closeDue). */
  advance(eventTimeMs: number): boolean {
    if (eventTimeMs > this.#watermarkMs) this.#watermarkMs = eventTimeMs;
    return this.#heap.peekEndMs() <= this.#watermarkMs;
  }

  /** Closes the windows whose end the watermark has reached. */
  closeDue(changes: AlertChanges): void {
    while (this.#heap.peekEndMs() <= this.#watermarkMs) {
      const entry = this.#heap.pop();
      if (entry === undefined) break;
      const window = this.#store.get(entry.key);
      // A stale entry: the key's window was already closed, evicted or replaced by a later one.
      if (window !== undefined && window.endMs === entry.endMs) this.#close(entry.key, window, changes);
    }
  }

  /** Closes every open window (end of a replay), in end-time then key order. */
  flush(changes: AlertChanges): void {
    const open = [...this.#store.entries()].sort(([keyA, a], [keyB, b]) => a.endMs - b.endMs || (keyA < keyB ? -1 : 1));
    for (const [key, window] of open) this.#close(key, window, changes);
    this.#heap.clear();
  }

  #open(key: string, match: AlertMatch): AlertWindow {
    const window: AlertWindow = {
      ruleId: match.alert.ruleId,
      startMs: match.eventTimeMs,
      endMs: match.eventTimeMs + match.dedupPeriodMinutes * MS_PER_MINUTE,
      firstMs: match.eventTimeMs,
      lastMs: match.eventTimeMs,
      matchCount: 1,
      threshold: match.threshold,
      alert: null,
    };
    this.#heap.push(window.endMs, key);
    return window;
  }

  #close(key: string, window: AlertWindow, changes: AlertChanges): void {
    this.#store.delete(key);
    if (window.alert !== null) changes.closed.push(finalize(window, window.alert));
  }

  #closeEvicted(changes: AlertChanges): void {
    for (const [, window] of this.#store.drainEvicted()) {
      if (window.alert !== null) changes.closed.push(finalize(window, window.alert));
    }
  }
}

/** Brings the alert's count and event times up to date with its window. */
function finalize(window: AlertWindow, alert: Alert): Alert {
  alert.eventCount = window.matchCount;
  alert.firstEventTime = new Date(window.firstMs).toISOString();
  alert.lastEventTime = new Date(window.lastMs).toISOString();
  return alert;
}
