// One dedup window of one key: plain JSON data, so the evaluator's state can be snapshotted and restored as it is.
import type { Alert } from './alert.ts';
import type { HeldEvent } from './alert-events.ts';
import type { AlertFields } from './alert-match.ts';

export interface AlertWindow {
  /** Unique per window: key, aligned start, and for a late window the watermark it was opened at. */
  id: string;
  /** tailnet + type + rule id + dedup string (alert-id.ts). */
  key: string;
  tailnet: string;
  /** The rule's log types: the window closes on their clock (Watermarks.clock). */
  ruleLogTypes: readonly string[];
  /** [startMs, endMs): the dedup period's aligned window (a late window keeps the one its matches belong to). */
  startMs: number;
  endMs: number;
  /** The clock value at which the window's final form is settled and it closes. */
  closeAtMs: number;
  /** Late windows only: the clock when it opened (part of its id). */
  lateOpenedAtMs: number | null;
  threshold: number;
  matchCount: number;
  firstMs: number;
  lastMs: number;
  /**
   * threshold > 1 only: sorted match times. Before the alert fires a window holds fewer than `threshold` matches, so
   * all are kept; after, only the latest threshold − 1, all the next window's look-back can use.
   */
  times: number[] | null;
  /** The representative match: the earliest by event time, ties broken by `repTie` (smaller first). */
  repMs: number;
  /** Computed on the first tie only (null until then). */
  repTie: string | null;
  rep: AlertFields;
  /** The last revision emitted; null until the threshold is reached. */
  alert: Alert | null;
  /** Changed since `alert` was emitted. */
  dirty: boolean;
  /** Final form emitted; a window with threshold > 1 stays as its successor's look-back until that one closes. */
  closed: boolean;
  /** Until the alert exists: its events so far, bounded (alert-events.ts); absent in snapshots from before they were kept. */
  events?: HeldEvent[] | null;
}
