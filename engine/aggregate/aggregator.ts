// One aggregate rule's live state: groups in an LRU (per tailnet), crossing detection per event, and the settling of
// crossings once no event within the allowed lateness can change their window (semantics: docs/rules.md).
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { addItem, distinctInWindow } from './distinct-items.ts';
import { GroupLru } from './group-lru.ts';
import { GroupPool } from './group-pool.ts';
import { restoreGroup, snapshotGroup } from './group-snapshot.ts';
import type { GroupSnapshot } from './group-snapshot.ts';
import { isCrossed, markCrossed } from './crossed-windows.ts';
import { NO_MINUTE } from './group-state.ts';
import type { GroupState } from './group-state.ts';
import { addAmount, baselineAt, windowSumBeyondHead, windowSumEndingAt } from './sliding-sum.ts';
import { addContribution, topContributors } from './top-contributors.ts';
import type { Crossing, Emit } from './types.ts';
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

/** An aggregator's windows as plain JSON data; only restored into an aggregator with the same layout. */
export interface AggregatorSnapshot {
  layout: string;
  /** Least recently used first, so restoring them in order restores the LRU order. */
  groups: GroupSnapshot[];
  /** Crossings not settled yet: their group, window end minute, threshold, and the event they were reported with. */
  pending: { group: string; tailnet: string; end: number; threshold: number; baseline: number | null; event: TailscaleEvent }[];
}

/** A crossing detected but not final yet: its window can still receive late contributions. */
interface PendingCrossing {
  state: GroupState;
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
    const pending = this.#unsettled.map((p) => ({
      group: p.state.group, tailnet: p.state.tailnet, end: p.end, threshold: p.threshold, baseline: p.baseline ?? null, event: p.event,
    }));
    return { layout: JSON.stringify(this.layout), groups, pending };
  }

  /** Replaces every window with a snapshot's; without one, or with one of another layout, starts empty. */
  importState(snapshot: AggregatorSnapshot | undefined): void {
    this.#pool = new GroupPool(this.layout);
    this.#groups = this.#newGroups();
    this.#unsettled = [];
    this.#earliestUnsettledEnd = Infinity;
    const usable = snapshot !== undefined && snapshot.layout === JSON.stringify(this.layout);
    if (!usable) return;
    // Restored groups have stamp 0, older than any event to come; among them, the snapshot's order decides.
    for (const group of snapshot.groups) this.#groups.add(restoreGroup(this.#pool, this.layout, group));
    for (const p of snapshot.pending ?? []) {
      const state = this.#groups.get(`${p.tailnet}\0${p.group}`);
      if (state !== undefined) this.#unsettled.push({ state, end: p.end, threshold: p.threshold, baseline: p.baseline ?? undefined, event: p.event });
    }
    this.#earliestUnsettledEnd = this.#unsettled.reduce((min, p) => Math.min(min, p.end), Infinity);
  }

  get liveGroups(): number {
    return this.#groups.size;
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
      const touched = this.#touched;
      const count = this.#touchedCount;
      for (let i = 0; i < count; i++) this.#check(touched[i]!, event, out.crossings);
    } finally {
      this.#touchedCount = 0;
      this.#lastGroup = undefined;
      this.#event = undefined;
      this.#revealed.length = 0;
      this.#pool.recycle();
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
      if (p.state.tailnet !== tailnet || clockMinute <= p.end + lateness) kept.push(p);
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
    // An evicted group's crossing keeps the fields it was first reported with.
    if (this.#groups.get(p.state.key) !== p.state) return;
    const value = this.#valueAt(p.state, p.end);
    out.push(this.#crossing(p.state, p.event, p.end, value, p.threshold, p.baseline));
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
    let state = this.#lastGroup?.group === group ? this.#lastGroup : this.#groups.get(`${this.#tailnet}\0${group}`);
    if (state === undefined) {
      state = this.#pool.create(this.#tailnet, group);
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
    if (m > state.head && state.head !== NO_MINUTE) this.#reveal(state, m);
    if (layout.measure === 'distinct') addItem(state, layout, this.#pendingItem ?? this.#pendingContributor, m);
    else addAmount(state, layout, m, this.#pendingCredit);
    addContribution(state, layout, this.#pendingContributor, this.#pendingCredit, m);
  }

  /**
   * The windows that end after the group's newest minute and before `m` exist only now that it moves to `m`: they are
   * checked before the ring moves on, with what they hold, as they would have been in event-time order.
   */
  #reveal(state: GroupState, m: number): void {
    const layout = this.layout;
    const last = Math.min(m - 1, state.head + layout.windowMinutes - 1);
    for (let e = state.head + 1; e <= last; e++) {
      if (isCrossed(state, e)) continue;
      const value = layout.measure === 'distinct' ? distinctInWindow(state, layout, e) : windowSumBeyondHead(state, layout, e);
      if (value >= layout.atLeast) this.#checkThreshold(state, this.#event!, e, value, this.#revealed);
    }
  }

  /**
   * Every window containing this event's minute that crosses now and had not crossed before: one crossing each.
   * Sums, counts and distinct sets only grow and a window's threshold is fixed when first checked, so the crossed
   * windows depend only on which contributions arrived within the lateness, not on their order.
   */
  #check(state: GroupState, event: TailscaleEvent, out: Crossing[]): void {
    const layout = this.layout;
    const last = Math.min(this.#minute + layout.windowMinutes - 1, state.head);
    for (let e = this.#minute; e <= last; e++) {
      if (isCrossed(state, e)) continue;
      const value = this.#valueAt(state, e);
      if (value >= layout.atLeast) this.#checkThreshold(state, event, e, value, out);
    }
  }

  /** The measure of the window ending at minute e (within the lateness of the group's newest minute). */
  #valueAt(state: GroupState, e: number): number {
    return this.layout.measure === 'distinct' ? distinctInWindow(state, this.layout, e) : windowSumEndingAt(state, this.layout, e);
  }

  /** A window at or above the floor crosses when it also beats the baseline (if the rule has one). */
  #checkThreshold(state: GroupState, event: TailscaleEvent, e: number, value: number, out: Crossing[]): void {
    const layout = this.layout;
    if (layout.baselineFactor === 0) {
      this.#fire(state, event, e, value, layout.atLeast, undefined, out);
      return;
    }
    const baseline = baselineAt(state, layout, e);
    const threshold = Math.max(layout.atLeast, layout.baselineFactor * baseline);
    if (value >= threshold) this.#fire(state, event, e, value, threshold, baseline, out);
  }

  #fire(state: GroupState, event: TailscaleEvent, end: number, value: number, threshold: number, baseline: number | undefined, out: Crossing[]): void {
    markCrossed(state, end);
    this.counts.crossings += 1;
    this.#unsettled.push({ state, end, threshold, baseline, event });
    if (end < this.#earliestUnsettledEnd) this.#earliestUnsettledEnd = end;
    out.push(this.#crossing(state, event, end, value, threshold, baseline));
  }

  #crossing(state: GroupState, event: TailscaleEvent, end: number, value: number, threshold: number, baseline: number | undefined): Crossing {
    const W = this.layout.windowMinutes;
    const crossing: Crossing = {
      tailnet: state.tailnet,
      group: state.group,
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
