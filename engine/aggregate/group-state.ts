// One group's state: constant size for its rule (one Float64Array, a short contributor-key array, a capped map).
import type { WindowLayout } from './window-layout.ts';

export const NO_MINUTE = -Infinity;

export class GroupState {
  readonly key: string;
  /** Newest minute bucket (epoch minutes) this group has seen. */
  head = NO_MINUTE;
  /** Measure of the window ending at `head` (sum/count only; kept incrementally). */
  windowValue = 0;
  /** First minute this group was seen: the baseline averages only over time the group was observed. */
  firstMinute = NO_MINUTE;
  /** End minute of the last window that fired; the next firing window must not overlap it. */
  lastFiredEnd = NO_MINUTE;
  /** Id of the last event that touched the group (so an event checks each group once). */
  stamp = 0;
  /** Minute of the event being processed (all of an event's contributions share it). */
  eventMinute = 0;
  readonly cells: Float64Array;
  readonly contributors: (string | undefined)[];
  /** distinct measures only: item → last minute seen, at most layout.distinctCap entries. */
  readonly items: Map<string, number> | undefined;

  constructor(key: string, layout: WindowLayout) {
    this.key = key;
    this.cells = new Float64Array(layout.cells);
    this.contributors = new Array<string | undefined>(layout.summarySlots);
    this.items = layout.measure === 'distinct' ? new Map() : undefined;
  }
}
