// One aggregate rule's live state: groups in an LRU (per tailnet), crossing detection per event, and the settling of
// crossings once no event within the allowed lateness can change their window (semantics: docs/rules.md).
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { addItem, distinctInWindow } from './distinct-items.ts';
import { GroupStore, NO_MINUTE } from './group-store.ts';
import { groupsFromV1, restoreGroup, snapshotGroup } from './group-snapshot.ts';
import type { GroupSnapshot, GroupSnapshotV1 } from './group-snapshot.ts';
import { isCrossed, markCrossed } from './crossed-windows.ts';
import { addAmount, baselineAt, windowSumBeyondHead, windowSumEndingAt } from './sliding-sum.ts';
import { addContribution, topContributors } from './top-contributors.ts';
import type { Crossing, Emit } from './types.ts';
import { layoutKey } from './window-layout.ts';
import type { WindowLayout } from './window-layout.ts';

const MS_PER_MINUTE = 60_000;

export type ContributionsFn = (event: TailscaleEvent, options: Record<string, unknown>, emit: Emit) => void;

export interface AggregatorCounts {
  events: number;
  contributions: number;
  /** Events whose minute was already settled (older than the rule's clock minus the allowed lateness): not counted. */
  lateEvents: number;
  /** Contributions with an amount that is not a finite number ≥ 0. */
  invalidAmounts: number;
  evictedGroups: number;
  crossings: number;
}

/** Snapshots of this format keep each group's contributors and items as lists (format 1: in its cells). */
const SNAPSHOT_FORMAT = 2;

/** An aggregator's windows as plain JSON data; only restored into an aggregator with the same layout. */
export interface AggregatorSnapshot {
  /** Absent in format 1. */
  format?: number;
  /** layoutKey() of the window and lateness; in format 1, the whole WindowLayout as JSON. */
  layout: string;
  /** Least recently used first, so restoring them in order restores the LRU order. */
  groups: GroupSnapshot[] | GroupSnapshotV1[];
  /** Crossings not settled yet: their group, window end minute, threshold, and the event they were reported with. */
  pending: { group: string; tailnet: string; end: number; threshold: number; baseline: number | null; event: TailscaleEvent }[];
}

/** A crossing detected but not final yet: its window can still receive late contributions. */
interface PendingCrossing {
  slot: number;
  tailnet: string;
  group: string;
  end: number;
  threshold: number;
  baseline: number | undefined;
  /** The event whose contributions made the window cross (after a restart, its JSON copy from the snapshot). */
  event: TailscaleEvent;
}

export interface AggregatorOutput {
  /** Windows that crossed because of this event (each crossing window once). */
  crossings: Crossing[];
  /** Earlier crossings whose window is now settled, with their final value and contributors. */
  settled: Crossing[];
}

export class Aggregator {
  readonly layout: WindowLayout;
  readonly counts: AggregatorCounts = { events: 0, contributions: 0, lateEvents: 0, invalidAmounts: 0, evictedGroups: 0, crossings: 0 };
  readonly #contributions: ContributionsFn;
  readonly #options: Record<string, unknown>;
  #store: GroupStore;
  /**
   * The slots and keys of the groups this event touched: [0, #touchedCount). Reused, never truncated: `length = 0`
   * would free its storage on every event. Stale entries past the count are at most one event's groups.
   */
  readonly #touched: number[] = [];
  readonly #touchedGroups: string[] = [];
  #touchedCount = 0;
  /** The group of the previous contribution: a record's entries often share it, and this skips the lookup. */
  #lastSlot = -1;
  #lastGroup = '';
  /**
   * The contribution not applied yet. A record often lists several connections between the same endpoints: equal
   * consecutive contributions (group, contributor, item) are added up and applied once. Sums of integer amounts
   * (bytes, counts) come out the same; replay and live evaluation merge alike, so they agree for any amount.
   */
  #pending = -1;
  #pendingContributor = '';
  #pendingItem: string | undefined;
  #pendingCredit = 0;
  #unsettled: PendingCrossing[] = [];
  /** The smallest window end among #unsettled (Infinity when none), so settle() returns early most of the time. */
  #earliestUnsettledEnd = Infinity;
  #stamp = 0;
  #minute = 0;
  #tailnet = '';
  /** The event being processed, and the crossings found before its contributions moved a group's head on. */
  #event: TailscaleEvent | undefined;
  readonly #revealed: Crossing[] = [];

  constructor(layout: WindowLayout, contributions: ContributionsFn, options: Record<string, unknown>) {
    this.layout = layout;
    this.#contributions = contributions;
    this.#options = options;
    this.#store = new GroupStore(layout);
  }

  /** Evicted groups' crossings are never settled: they keep the fields they were first reported with. */
  readonly #onEvict = (slots: number[]): void => {
    this.counts.evictedGroups += slots.length;
    if (this.#unsettled.length === 0) return;
    const evicted = new Set(slots);
    this.#unsettled = this.#unsettled.filter((p) => !evicted.has(p.slot));
  };

  exportState(): AggregatorSnapshot {
    const groups = this.#store.live().map(({ tailnet, group, slot }) => snapshotGroup(this.#store, this.layout, tailnet, group, slot));
    const pending = this.#unsettled.map((p) => ({
      group: p.group, tailnet: p.tailnet, end: p.end, threshold: p.threshold, baseline: p.baseline ?? null, event: p.event,
    }));
    return { format: SNAPSHOT_FORMAT, layout: layoutKey(this.layout), groups, pending };
  }

  /** Replaces every window with a snapshot's; without one, or with one of another window or lateness, starts empty. */
  importState(snapshot: AggregatorSnapshot | undefined): void {
    this.#store = new GroupStore(this.layout);
    this.#unsettled = [];
    this.#earliestUnsettledEnd = Infinity;
    const groups = snapshot === undefined ? undefined : this.#usableGroups(snapshot);
    if (snapshot === undefined || groups === undefined) return;
    // Restored groups are stamped in the snapshot's order, older than any event to come.
    for (const group of groups) {
      const slot = restoreGroup(this.#store, this.layout, group);
      this.#store.setStamp(slot, ++this.#stamp);
    }
    for (const p of snapshot.pending ?? []) {
      const slot = this.#store.find(p.tailnet, p.group);
      // Format 1 also saved the crossings of evicted groups: one whose group has not crossed that window is such.
      if (slot !== -1 && isCrossed(this.#store.at(slot), p.end)) this.#unsettled.push({ slot, tailnet: p.tailnet, group: p.group, end: p.end, threshold: p.threshold, baseline: p.baseline ?? undefined, event: p.event });
    }
    this.#earliestUnsettledEnd = this.#unsettled.reduce((min, p) => Math.min(min, p.end), Infinity);
  }

  #usableGroups(snapshot: AggregatorSnapshot): GroupSnapshot[] | undefined {
    if (snapshot.format === SNAPSHOT_FORMAT) return snapshot.layout === layoutKey(this.layout) ? (snapshot.groups as GroupSnapshot[]) : undefined;
    if (snapshot.format === undefined) return groupsFromV1(snapshot.layout, snapshot.groups as GroupSnapshotV1[], this.layout);
    return undefined;
  }

  get liveGroups(): number {
    return this.#store.size;
  }

  /**
   * Adds the event's contributions. `clockMs` is the rule's clock in the event's tailnet before this event (-Infinity
   * before its first), `nextClockMs` the clock after it. Returns the windows that crossed because of this event, and
   * the earlier crossings the new clock settles (computed before this event's contributions can move their groups on).
   */
  process(event: TailscaleEvent, eventTimeMs: number, clockMs: number, nextClockMs: number, out: AggregatorOutput): void {
    const minute = Math.floor(eventTimeMs / MS_PER_MINUTE);
    if (!(minute >= 0)) return;
    this.counts.events += 1;
    if (minute < Math.floor(clockMs / MS_PER_MINUTE) - this.layout.allowedLatenessMinutes) {
      this.counts.lateEvents += 1;
      return;
    }
    this.settle(event.p_tailnet, nextClockMs, out.settled);
    this.#minute = minute;
    this.#tailnet = event.p_tailnet;
    this.#event = event;
    this.#stamp += 1;
    try {
      try {
        this.#contributions(event, this.#options, this.#emit);
      } finally {
        this.#applyPending();
      }
      if (this.#revealed.length > 0) out.crossings.push(...this.#revealed);
      const count = this.#touchedCount;
      for (let i = 0; i < count; i++) this.#check(this.#touched[i]!, this.#touchedGroups[i]!, event, out.crossings);
    } finally {
      this.#touchedCount = 0;
      this.#lastSlot = -1;
      this.#event = undefined;
      this.#revealed.length = 0;
      this.#store.recycle();
    }
  }

  /** Final forms of the crossings of `tailnet` that the clock has settled (their window ended more than the lateness ago). */
  settle(tailnet: string, clockMs: number, out: Crossing[]): void {
    if (this.#unsettled.length === 0) return;
    const clockMinute = Math.floor(clockMs / MS_PER_MINUTE);
    const lateness = this.layout.allowedLatenessMinutes;
    // Most events leave the clock in the same minute: nothing new can have settled.
    if (clockMinute <= this.#earliestUnsettledEnd + lateness) return;
    const kept: PendingCrossing[] = [];
    for (const p of this.#unsettled) {
      if (p.tailnet !== tailnet || clockMinute <= p.end + lateness) kept.push(p);
      else this.#settleOne(p, out);
    }
    this.#unsettled = kept;
    this.#earliestUnsettledEnd = kept.reduce((min, p) => Math.min(min, p.end), Infinity);
  }

  /** Settles every pending crossing (end of a replay). */
  settleAll(out: Crossing[]): void {
    for (const p of this.#unsettled) this.#settleOne(p, out);
    this.#unsettled = [];
    this.#earliestUnsettledEnd = Infinity;
  }

  #settleOne(p: PendingCrossing, out: Crossing[]): void {
    const value = this.#valueAt(p.slot, p.end);
    out.push(this.#crossing(p.slot, p.tailnet, p.group, p.event, p.end, value, p.threshold, p.baseline));
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
    if (this.#pending !== -1 && this.#lastGroup === group && this.#pendingContributor === contributor && this.#pendingItem === item) {
      this.#pendingCredit += credit;
      return;
    }
    this.#applyPending();
    let slot = this.#lastSlot !== -1 && this.#lastGroup === group ? this.#lastSlot : this.#store.find(this.#tailnet, group);
    if (slot === -1) slot = this.#store.add(this.#tailnet, group, this.#onEvict);
    this.#lastSlot = slot;
    this.#lastGroup = group;
    if (this.#store.stamp(slot) !== this.#stamp) {
      this.#store.setStamp(slot, this.#stamp);
      this.#touched[this.#touchedCount] = slot;
      this.#touchedGroups[this.#touchedCount++] = group;
    }
    this.#pending = slot;
    this.#pendingContributor = contributor;
    this.#pendingItem = item;
    this.#pendingCredit = credit;
  };

  #applyPending(): void {
    const slot = this.#pending;
    if (slot === -1) return;
    this.#pending = -1;
    const layout = this.layout;
    const store = this.#store;
    const m = this.#minute;
    const head = store.at(slot).head;
    if (m > head && head !== NO_MINUTE) this.#reveal(slot, this.#lastGroup, m);
    if (layout.measure === 'distinct') addItem(store.items, store.at(slot), layout, this.#pendingItem ?? this.#pendingContributor, m);
    else addAmount(store, store.at(slot), layout, m, this.#pendingCredit);
    addContribution(store.contributors, store.at(slot), layout, this.#pendingContributor, this.#pendingCredit, m);
  }

  /**
   * The windows that end after the group's newest minute and before `m` exist only now that it moves to `m`: they are
   * checked before the ring moves on, with what they hold, as they would have been in event-time order.
   */
  #reveal(slot: number, group: string, m: number): void {
    const layout = this.layout;
    const head = this.#store.at(slot).head;
    const last = Math.min(m - 1, head + layout.windowMinutes - 1);
    for (let e = head + 1; e <= last; e++) {
      const state = this.#store.at(slot);
      if (isCrossed(state, e)) continue;
      const value = layout.measure === 'distinct' ? distinctInWindow(this.#store.items, state, layout, e) : windowSumBeyondHead(state, layout, e);
      if (value >= layout.atLeast) this.#checkThreshold(slot, group, this.#event!, e, value, this.#revealed);
    }
  }

  /**
   * Every window containing this event's minute that crosses now and had not crossed before: one crossing each.
   * Sums, counts and distinct sets only grow and a window's threshold is fixed when first checked, so the crossed
   * windows depend only on which contributions arrived within the lateness, not on their order.
   */
  #check(slot: number, group: string, event: TailscaleEvent, out: Crossing[]): void {
    const layout = this.layout;
    const last = Math.min(this.#minute + layout.windowMinutes - 1, this.#store.at(slot).head);
    for (let e = this.#minute; e <= last; e++) {
      if (isCrossed(this.#store.at(slot), e)) continue;
      const value = this.#valueAt(slot, e);
      if (value >= layout.atLeast) this.#checkThreshold(slot, group, event, e, value, out);
    }
  }

  /** The measure of the window ending at minute e (within the lateness of the group's newest minute). */
  #valueAt(slot: number, e: number): number {
    const state = this.#store.at(slot);
    return this.layout.measure === 'distinct' ? distinctInWindow(this.#store.items, state, this.layout, e) : windowSumEndingAt(state, this.layout, e);
  }

  /** A window at or above the floor crosses when it also beats the baseline (if the rule has one). */
  #checkThreshold(slot: number, group: string, event: TailscaleEvent, e: number, value: number, out: Crossing[]): void {
    const layout = this.layout;
    if (layout.baselineFactor === 0) {
      this.#fire(slot, group, event, e, value, layout.atLeast, undefined, out);
      return;
    }
    const baseline = baselineAt(this.#store.at(slot), layout, e);
    const threshold = Math.max(layout.atLeast, layout.baselineFactor * baseline);
    if (value >= threshold) this.#fire(slot, group, event, e, value, threshold, baseline, out);
  }

  #fire(slot: number, group: string, event: TailscaleEvent, end: number, value: number, threshold: number, baseline: number | undefined, out: Crossing[]): void {
    markCrossed(this.#store.at(slot), end);
    this.counts.crossings += 1;
    const tailnet = this.#tailnet;
    this.#unsettled.push({ slot, tailnet, group, end, threshold, baseline, event });
    if (end < this.#earliestUnsettledEnd) this.#earliestUnsettledEnd = end;
    out.push(this.#crossing(slot, tailnet, group, event, end, value, threshold, baseline));
  }

  #crossing(
    slot: number, tailnet: string, group: string, event: TailscaleEvent, end: number, value: number, threshold: number, baseline: number | undefined,
  ): Crossing {
    const W = this.layout.windowMinutes;
    const crossing: Crossing = {
      tailnet,
      group,
      measure: this.layout.measure,
      value,
      threshold,
      windowMinutes: W,
      windowStart: new Date((end - W + 1) * MS_PER_MINUTE).toISOString(),
      windowEnd: new Date((end + 1) * MS_PER_MINUTE).toISOString(),
      topContributors: topContributors(this.#store.contributors, this.#store.at(slot), this.layout, end),
      event,
    };
    if (baseline !== undefined) crossing.baseline = baseline;
    return crossing;
  }
}
