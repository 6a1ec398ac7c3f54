// One aggregate rule's live state: groups in an LRU, an event-time watermark, and crossing detection per event.
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { addItem, distinctInWindow } from './distinct-items.ts';
import { GroupLru } from './group-lru.ts';
import { GroupPool } from './group-pool.ts';
import { restoreGroup, snapshotGroup } from './group-snapshot.ts';
import type { GroupSnapshot } from './group-snapshot.ts';
import { NO_MINUTE } from './group-state.ts';
import type { GroupState } from './group-state.ts';
import { addAmount, baselineAt, windowSumEndingAt } from './sliding-sum.ts';
import { addContribution, topContributors } from './top-contributors.ts';
import type { Crossing, Emit } from './types.ts';
import type { WindowLayout } from './window-layout.ts';

const MS_PER_MINUTE = 60_000;
const NONE: readonly Crossing[] = Object.freeze([]);

export type ContributionsFn = (event: TailscaleEvent, options: Record<string, unknown>, emit: Emit) => void;

export interface AggregatorCounts {
  events: number;
  contributions: number;
  /** Events older than the watermark minus the allowed lateness: not counted. */
  lateEvents: number;
  /** Contributions with an amount that is not a finite number ≥ 0. */
  invalidAmounts: number;
  evictedGroups: number;
  crossings: number;
}

/** An aggregator's windows as plain JSON data; only restored into an aggregator with the same layout. */
export interface AggregatorSnapshot {
  layout: string;
  watermark: number;
  /** Least recently used first, so restoring them in order restores the LRU order. */
  groups: GroupSnapshot[];
}

export class Aggregator {
  readonly layout: WindowLayout;
  readonly counts: AggregatorCounts = { events: 0, contributions: 0, lateEvents: 0, invalidAmounts: 0, evictedGroups: 0, crossings: 0 };
  readonly #contributions: ContributionsFn;
  readonly #options: Record<string, unknown>;
  #groups: GroupLru;
  #pool: GroupPool;
  /**
   * The groups this event touched: #touched[0, #touchedCount). Reused, never truncated: `length = 0` would free its
   * storage on every event. Stale entries past the count are at most one event's groups.
   */
  readonly #touched: GroupState[] = [];
  #touchedCount = 0;
  /** The group of the previous contribution: a record's entries often share it, and this skips the LRU lookup. */
  #lastGroup: GroupState | undefined;
  /**
   * The contribution not applied yet. A record often lists several connections between the same endpoints: equal
   * consecutive contributions (group, contributor, item) are added up and applied once. Sums of integer amounts
   * (bytes, counts) come out the same; replay and live evaluation merge alike, so they agree for any amount.
   */
  #pending: GroupState | undefined;
  #pendingContributor = '';
  #pendingItem: string | undefined;
  #pendingCredit = 0;
  #watermark = NO_MINUTE;
  #stamp = 0;
  #minute = 0;

  constructor(layout: WindowLayout, contributions: ContributionsFn, options: Record<string, unknown>) {
    this.layout = layout;
    this.#contributions = contributions;
    this.#options = options;
    this.#pool = new GroupPool(layout);
    this.#groups = this.#newGroups();
  }

  #newGroups(): GroupLru {
    return new GroupLru(this.layout.maxGroups, (group) => {
      this.counts.evictedGroups += 1;
      this.#pool.release(group);
    });
  }

  exportState(): AggregatorSnapshot {
    const groups: GroupSnapshot[] = [];
    for (const state of this.#groups.values()) groups.push(snapshotGroup(state, this.layout));
    return { layout: JSON.stringify(this.layout), watermark: this.#watermark, groups };
  }

  /** Replaces every window with a snapshot's; without one, or with one of another layout, starts empty. */
  importState(snapshot: AggregatorSnapshot | undefined): void {
    this.#pool = new GroupPool(this.layout);
    this.#groups = this.#newGroups();
    const usable = snapshot !== undefined && snapshot.layout === JSON.stringify(this.layout);
    this.#watermark = usable ? snapshot.watermark : NO_MINUTE;
    if (!usable) return;
    // Restored groups have stamp 0, older than any event to come; among them, the snapshot's order decides.
    for (const group of snapshot.groups) this.#groups.add(restoreGroup(this.#pool, this.layout, group));
  }

  get liveGroups(): number {
    return this.#groups.size;
  }

  /** Adds the event's contributions; returns the groups whose measure crossed the threshold because of it. */
  process(event: TailscaleEvent, eventTimeMs: number): readonly Crossing[] {
    const minute = Math.floor(eventTimeMs / MS_PER_MINUTE);
    if (!(minute >= 0)) return NONE;
    this.counts.events += 1;
    if (minute > this.#watermark) {
      this.#watermark = minute;
    } else if (minute < this.#watermark - this.layout.allowedLatenessMinutes) {
      this.counts.lateEvents += 1;
      return NONE;
    }
    this.#minute = minute;
    this.#stamp += 1;
    try {
      try {
        this.#contributions(event, this.#options, this.#emit);
      } finally {
        this.#applyPending();
      }
      const touched = this.#touched;
      const count = this.#touchedCount;
      if (count === 0) return NONE;
      let crossings: Crossing[] | undefined;
      for (let i = 0; i < count; i++) {
        const crossing = this.#check(touched[i]!, event);
        if (crossing !== undefined) (crossings ??= []).push(crossing);
      }
      if (crossings === undefined) return NONE;
      this.counts.crossings += crossings.length;
      return crossings;
    } finally {
      this.#touchedCount = 0;
      this.#lastGroup = undefined;
      this.#pool.recycle();
    }
  }

  readonly #emit: Emit = (group, amount, contributor, item) => {
    const layout = this.layout;
    if (!(amount >= 0 && amount < Infinity)) {
      this.counts.invalidAmounts += 1;
      return;
    }
    // A zero amount adds nothing to a sum: no group is created for it.
    if (amount === 0 && layout.measure === 'sum') return;
    this.counts.contributions += 1;
    const credit = layout.measure === 'sum' ? amount : 1;
    const pending = this.#pending;
    if (pending !== undefined && pending.key === group && this.#pendingContributor === contributor && this.#pendingItem === item) {
      this.#pendingCredit += credit;
      return;
    }
    this.#applyPending();
    let state = this.#lastGroup?.key === group ? this.#lastGroup : this.#groups.get(group);
    if (state === undefined) {
      state = this.#pool.create(group);
      this.#groups.add(state);
    }
    this.#lastGroup = state;
    if (state.stamp !== this.#stamp) {
      state.stamp = this.#stamp;
      this.#touched[this.#touchedCount++] = state;
    }
    this.#pending = state;
    this.#pendingContributor = contributor;
    this.#pendingItem = item;
    this.#pendingCredit = credit;
  };

  #applyPending(): void {
    const state = this.#pending;
    if (state === undefined) return;
    this.#pending = undefined;
    const layout = this.layout;
    const m = this.#minute;
    if (layout.measure === 'distinct') addItem(state, layout, this.#pendingItem ?? this.#pendingContributor, m);
    else addAmount(state, layout, m, this.#pendingCredit);
    addContribution(state, layout, this.#pendingContributor, this.#pendingCredit, m);
  }

  /** The first window containing this event's minute, not overlapping the last one that fired, that crosses. */
  #check(state: GroupState, event: TailscaleEvent): Crossing | undefined {
    const layout = this.layout;
    const W = layout.windowMinutes;
    if (layout.measure === 'distinct') {
      if (state.head < state.lastFiredEnd + W) return undefined;
      const value = distinctInWindow(state, layout);
      return value >= layout.atLeast ? this.#fire(state, event, state.head, value, layout.atLeast, undefined) : undefined;
    }
    const last = Math.min(this.#minute + W - 1, state.head);
    for (let e = Math.max(this.#minute, state.lastFiredEnd + W); e <= last; e++) {
      const value = windowSumEndingAt(state, layout, e);
      if (value < layout.atLeast) continue;
      if (layout.baselineFactor === 0) return this.#fire(state, event, e, value, layout.atLeast, undefined);
      const baseline = baselineAt(state, layout, e);
      const threshold = Math.max(layout.atLeast, layout.baselineFactor * baseline);
      if (value >= threshold) return this.#fire(state, event, e, value, threshold, baseline);
    }
    return undefined;
  }

  #fire(state: GroupState, event: TailscaleEvent, end: number, value: number, threshold: number, baseline: number | undefined): Crossing {
    state.lastFiredEnd = end;
    const W = this.layout.windowMinutes;
    const crossing: Crossing = {
      group: state.key,
      measure: this.layout.measure,
      value,
      threshold,
      windowMinutes: W,
      windowStart: new Date((end - W + 1) * MS_PER_MINUTE).toISOString(),
      windowEnd: new Date((end + 1) * MS_PER_MINUTE).toISOString(),
      topContributors: topContributors(state, this.layout, end),
      event,
    };
    if (baseline !== undefined) crossing.baseline = baseline;
    return crossing;
  }
}
