// Matches → alerts, on event time (semantics: docs/rules.md, "Alert windows"). Each match belongs to exactly one
// window: its key's dedup period aligned to the epoch, so which window a match joins never depends on what came
// before it. A window's alert is created the moment its threshold is reached, takes title and context from its
// representative (the earliest match, ties broken by content), and is re-emitted as a numbered revision when later
// matches change it; its final form is settled once the watermark passes the window's end plus the allowed lateness.
// A match whose window has already closed is late: it goes to a late window with an id of its own.
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { Alert } from './alert.ts';
import { heldEvent, hold, type AlertEvent, type HeldEvent } from './alert-events.ts';
import { alertIdOf, windowKey } from './alert-id.ts';
import type { AlertChanges, AlertFields, AlertMatch } from './alert-match.ts';
import type { AlertWindow } from './alert-window.ts';
import { insertSorted, keepLatest, windowsReachingThreshold } from './sliding-threshold.ts';
import type { Watermarks } from './watermarks.ts';
import { WindowHeap } from './window-heap.ts';
import { msToRfc3339 } from '../schemas/time.ts';

const MS_PER_MINUTE = 60_000;
export const DEFAULT_MAX_WINDOWS = 100_000;

export interface AlertTrackerOptions {
  allowedLatenessMs: number;
  /**
   * Windows kept per rule; past it, that rule's windows closest to closing are closed early (default 100 000). Per
   * rule, so one noisy rule never closes another's windows, and rules evaluated apart (replay --workers) agree.
   */
  maxWindows?: number;
}

/** Everything the tracker remembers, as plain JSON. */
export interface AlertTrackerState {
  windows: AlertWindow[];
  /** Snapshots from before the cap was per rule: every rule's windows closing this early count as closed. */
  evictedThroughMs: number | null;
  /** By rule: windows that closed this early (at the cap) count as closed, so their late matches go to late windows. */
  evictedThroughByRule?: Record<string, number>;
}

/** The windows of one clock (tailnet + rule log types), by the clock value that closes them. */
interface ClockHeap {
  tailnet: string;
  ruleLogTypes: readonly string[];
  heap: WindowHeap;
}

export interface TrackerCounts {
  lateMatches: number;
  evictedWindows: number;
}

export class AlertTracker {
  readonly #lateness: number;
  readonly #maxWindows: number;
  readonly #windows = new Map<string, AlertWindow>();
  /** Open late window of `${key}\0${startMs}`, if any. */
  readonly #openLate = new Map<string, string>();
  readonly #clocks = new Map<string, ClockHeap>();
  /** Each rule's windows, and their close (or drop) times: what the cap closes first. */
  readonly #byRule = new Map<string, RuleWindows>();
  #evictedThroughMs = -Infinity;
  readonly #evictedThroughByRule = new Map<string, number>();
  readonly counts: TrackerCounts = { lateMatches: 0, evictedWindows: 0 };

  constructor(options: AlertTrackerOptions) {
    this.#lateness = options.allowedLatenessMs;
    this.#maxWindows = options.maxWindows ?? DEFAULT_MAX_WINDOWS;
  }

  get size(): number {
    return this.#windows.size;
  }

  /**
   * Adds a match to its window, opening one if needed; pushes the alert (or a revision) it creates, and `event` (what
   * the match is about; a correlation chain has none) as one of the alert's events.
   */
  record(match: AlertMatch, watermarks: Watermarks, changes: AlertChanges, event?: TailscaleEvent): void {
    const { alert: fields, eventTimeMs: t, tailnet } = match;
    const periodMs = match.dedupPeriodMinutes * MS_PER_MINUTE;
    const startMs = Math.floor(t / periodMs) * periodMs;
    const key = windowKey(tailnet, fields.type, fields.ruleId, fields.dedup, fields.suppressed?.id);
    const clock = watermarks.clock(tailnet, match.ruleLogTypes);
    const closeAtMs = startMs + periodMs + this.#lateness + (match.settleMs ?? 0);
    const evictedThrough = this.#evictedThrough(fields.ruleId);
    if (closeAtMs <= clock || closeAtMs <= evictedThrough) {
      this.#recordLate(match, key, startMs, Math.max(clock, evictedThrough), changes, event);
      return;
    }
    const id = `${key}\0${startMs}`;
    let window = this.#windows.get(id);
    if (window === undefined) {
      window = this.#open(id, key, match, startMs, periodMs, closeAtMs, null);
    } else {
      this.#add(window, match);
    }
    if (event !== undefined) this.#keepEvent(window, match, event, changes);
    if (window.threshold <= 1) {
      if (window.alert === null) this.#fire(window, changes);
    } else {
      // The match may complete a threshold in its own window or, as look-back, in the next one.
      const previous = this.#windows.get(`${key}\0${startMs - periodMs}`);
      const next = this.#windows.get(`${key}\0${startMs + periodMs}`);
      for (const reached of windowsReachingThreshold(previous, window, next, t, periodMs)) this.#fire(reached, changes);
    }
    this.#evictOverCap(fields.ruleId, changes);
  }

  /** A later, final version of a match recorded before (an aggregate crossing once its window settled). */
  revise(match: AlertMatch): void {
    const { alert: fields, eventTimeMs: t, tailnet } = match;
    const periodMs = match.dedupPeriodMinutes * MS_PER_MINUTE;
    const startMs = Math.floor(t / periodMs) * periodMs;
    const window = this.#windows.get(`${windowKey(tailnet, fields.type, fields.ruleId, fields.dedup, fields.suppressed?.id)}\0${startMs}`);
    if (window === undefined || window.closed || window.repMs !== t || tieOf(window) !== (match.tieKey ?? JSON.stringify(fields))) return;
    window.rep = fields;
    if (window.alert !== null) window.dirty = true;
  }

  /** True when a window of `tailnet` is due to close (most events close none: the caller then allocates nothing). */
  hasDue(tailnet: string, watermarks: Watermarks): boolean {
    for (const clock of this.#clocks.values()) {
      if (clock.tailnet === tailnet && clock.heap.peekEndMs() <= watermarks.clock(tailnet, clock.ruleLogTypes)) return true;
    }
    return false;
  }

  /** Closes the windows of `tailnet` whose clock has reached their close time. */
  closeDue(tailnet: string, watermarks: Watermarks, changes: AlertChanges): void {
    for (const clock of this.#clocks.values()) {
      if (clock.tailnet !== tailnet) continue;
      const now = watermarks.clock(tailnet, clock.ruleLogTypes);
      while (clock.heap.peekEndMs() <= now) this.#closeEntry(clock.heap.pop()!, changes);
    }
  }

  /** Closes every window (end of a replay), in close-time then id order. */
  flush(changes: AlertChanges): void {
    const open = [...this.#windows.values()].sort((a, b) => a.closeAtMs - b.closeAtMs || (a.id < b.id ? -1 : 1));
    for (const window of open) if (!window.closed) this.#close(window, changes);
    this.#windows.clear();
    this.#openLate.clear();
    this.#clocks.clear();
    this.#byRule.clear();
  }

  exportState(): AlertTrackerState {
    return {
      windows: [...this.#windows.values()],
      evictedThroughMs: Number.isFinite(this.#evictedThroughMs) ? this.#evictedThroughMs : null,
      evictedThroughByRule: Object.fromEntries(this.#evictedThroughByRule),
    };
  }

  importState(state: AlertTrackerState | undefined): void {
    this.#windows.clear();
    this.#openLate.clear();
    this.#clocks.clear();
    this.#byRule.clear();
    this.#evictedThroughMs = state?.evictedThroughMs ?? -Infinity;
    this.#evictedThroughByRule.clear();
    for (const [ruleId, ms] of Object.entries(state?.evictedThroughByRule ?? {})) this.#evictedThroughByRule.set(ruleId, ms);
    for (const window of state?.windows ?? []) {
      this.#windows.set(window.id, window);
      this.#ruleWindows(window).ids.add(window.id);
      if (window.lateOpenedAtMs !== null && !window.closed) this.#openLate.set(`${window.key}\0${window.startMs}`, window.id);
      this.#schedule(window, window.closed ? window.closeAtMs + (window.endMs - window.startMs) : window.closeAtMs);
    }
  }

  #recordLate(match: AlertMatch, key: string, startMs: number, clock: number, changes: AlertChanges, event: TailscaleEvent | undefined): void {
    this.counts.lateMatches += 1;
    const base = `${key}\0${startMs}`;
    const openId = this.#openLate.get(base);
    let window = openId === undefined ? undefined : this.#windows.get(openId);
    if (window === undefined) {
      const periodMs = match.dedupPeriodMinutes * MS_PER_MINUTE;
      // Open until the clock moves on by the lateness (at least 1 ms, so the next late window gets another id).
      window = this.#open(`${base}\0late\0${clock}`, key, match, startMs, periodMs, clock + Math.max(this.#lateness, 1), clock);
      this.#openLate.set(base, window.id);
    } else {
      this.#add(window, match);
    }
    if (event !== undefined) this.#keepEvent(window, match, event, changes);
    if (window.alert === null && window.matchCount >= window.threshold) this.#fire(window, changes);
    this.#evictOverCap(match.alert.ruleId, changes);
  }

  #open(id: string, key: string, match: AlertMatch, startMs: number, periodMs: number, closeAtMs: number, lateOpenedAtMs: number | null): AlertWindow {
    const t = match.eventTimeMs;
    const window: AlertWindow = {
      id,
      key,
      tailnet: match.tailnet,
      ruleLogTypes: match.ruleLogTypes,
      startMs,
      endMs: startMs + periodMs,
      closeAtMs,
      lateOpenedAtMs,
      threshold: match.threshold,
      matchCount: 1,
      firstMs: t,
      lastMs: t,
      times: match.threshold > 1 && lateOpenedAtMs === null ? [t] : null,
      repMs: t,
      repTie: match.tieKey ?? null,
      rep: match.alert,
      alert: null,
      dirty: false,
      closed: false,
      events: null,
    };
    this.#windows.set(id, window);
    this.#ruleWindows(window).ids.add(id);
    this.#schedule(window, closeAtMs);
    return window;
  }

  #add(window: AlertWindow, match: AlertMatch): void {
    const t = match.eventTimeMs;
    window.matchCount += 1;
    if (t < window.firstMs) window.firstMs = t;
    if (t > window.lastMs) window.lastMs = t;
    if (window.times !== null) {
      insertSorted(window.times, t);
      if (window.alert !== null) keepLatest(window.times, window.threshold - 1);
    }
    if (t < window.repMs || (t === window.repMs && (match.tieKey ?? JSON.stringify(match.alert)) < tieOf(window))) {
      window.repMs = t;
      window.repTie = match.tieKey ?? null;
      window.rep = match.alert;
    }
    if (window.alert !== null) window.dirty = true;
  }

  #fire(window: AlertWindow, changes: AlertChanges): void {
    window.alert = alertOf(window, 1);
    window.dirty = false;
    if (window.times !== null) keepLatest(window.times, window.threshold - 1);
    changes.created.push(window.alert);
    for (const held of window.events ?? []) changes.events.push(alertEvent(window.alert, held));
    window.events = null;
  }

  /** The window's newest match's event: one of its alert's events once the alert exists, held by the window until then. */
  #keepEvent(window: AlertWindow, match: AlertMatch, event: TailscaleEvent, changes: AlertChanges): void {
    const held = heldEvent(window.matchCount, match.eventTimeMs, event);
    if (window.alert !== null) changes.events.push(alertEvent(window.alert, held));
    else hold((window.events ??= []), held);
  }

  #close(window: AlertWindow, changes: AlertChanges): void {
    window.closed = true;
    if (window.lateOpenedAtMs !== null) this.#openLate.delete(`${window.key}\0${window.startMs}`);
    if (window.alert === null) return;
    if (window.dirty) {
      window.alert = alertOf(window, window.alert.revision + 1);
      window.dirty = false;
      changes.revised.push(window.alert);
    }
    changes.closed.push(window.alert);
  }

  #closeEntry(entry: { endMs: number; key: string }, changes: AlertChanges): void {
    const window = this.#windows.get(entry.key);
    if (window === undefined) return;
    if (window.closed) {
      this.#drop(window);
      return;
    }
    if (entry.endMs !== window.closeAtMs) return;
    this.#close(window, changes);
    // A closed window with a threshold stays as the look-back of its successor until that one closes too.
    if (window.times !== null) this.#schedule(window, window.closeAtMs + (window.endMs - window.startMs));
    else this.#drop(window);
  }

  #drop(window: AlertWindow): void {
    this.#windows.delete(window.id);
    this.#byRule.get(window.rep.ruleId)?.ids.delete(window.id);
  }

  #ruleWindows(window: AlertWindow): RuleWindows {
    const ruleId = window.rep.ruleId;
    let windows = this.#byRule.get(ruleId);
    if (windows === undefined) this.#byRule.set(ruleId, (windows = { ids: new Set(), heap: new WindowHeap() }));
    return windows;
  }

  #evictedThrough(ruleId: string): number {
    return Math.max(this.#evictedThroughMs, this.#evictedThroughByRule.get(ruleId) ?? -Infinity);
  }

  #schedule(window: AlertWindow, atMs: number): void {
    const clockId = `${window.tailnet}\0${window.ruleLogTypes.join(',')}`;
    let clock = this.#clocks.get(clockId);
    if (clock === undefined) this.#clocks.set(clockId, (clock = { tailnet: window.tailnet, ruleLogTypes: window.ruleLogTypes, heap: new WindowHeap() }));
    clock.heap.push(atMs, window.id);
    const rule = this.#ruleWindows(window);
    rule.heap.push(atMs, window.id);
    // Entries of windows closed on time stay in the heap: rebuilt from the live ones when they are most of it.
    if (rule.heap.size > 2 * rule.ids.size + 64) rebuild(rule, this.#windows);
  }

  /** At the cap, the rule's windows closest to closing close first; later matches of theirs are late. */
  #evictOverCap(ruleId: string, changes: AlertChanges): void {
    const rule = this.#byRule.get(ruleId);
    if (rule === undefined) return;
    while (rule.ids.size > this.#maxWindows) {
      const entry = rule.heap.pop();
      if (entry === undefined) return;
      const window = this.#windows.get(entry.key);
      if (window === undefined) continue;
      if (!window.closed && entry.endMs !== window.closeAtMs) continue;
      if (!window.closed) {
        this.#close(window, changes);
        this.counts.evictedWindows += 1;
      }
      this.#evictedThroughByRule.set(ruleId, Math.max(this.#evictedThrough(ruleId), window.closeAtMs));
      this.#drop(window);
    }
  }
}

/** One rule's windows (ids) and their close or drop times, entries of gone windows included. */
interface RuleWindows {
  ids: Set<string>;
  heap: WindowHeap;
}

function rebuild(rule: RuleWindows, windows: ReadonlyMap<string, AlertWindow>): void {
  rule.heap.clear();
  for (const id of rule.ids) {
    const window = windows.get(id)!;
    rule.heap.push(window.closed ? window.closeAtMs + (window.endMs - window.startMs) : window.closeAtMs, id);
  }
}

function alertEvent(alert: Alert, held: HeldEvent): AlertEvent {
  return { alertId: alert.alertId, ...held };
}

function tieOf(window: AlertWindow): string {
  window.repTie ??= JSON.stringify(window.rep);
  return window.repTie;
}

/** The alert a window stands for, as of now (a new object per revision: emitted ones are never changed). */
function alertOf(window: AlertWindow, revision: number): Alert {
  const rep: AlertFields = window.rep;
  const alert: Alert = {
    alertId: alertIdOf(window.key, window.startMs, window.lateOpenedAtMs ?? undefined),
    revision,
    type: rep.type,
    ruleId: rep.ruleId,
    tailnet: window.tailnet,
    severity: rep.severity,
    title: rep.title,
    dedup: rep.dedup,
    eventCount: window.matchCount,
    firstEventTime: msToRfc3339(window.firstMs),
    lastEventTime: msToRfc3339(window.lastMs),
    windowStart: msToRfc3339(window.startMs),
    windowEnd: msToRfc3339(window.endMs),
    logTypes: rep.logTypes,
    alertContext: rep.alertContext,
    tags: rep.tags,
    reports: rep.reports,
  };
  if (window.lateOpenedAtMs !== null) alert.late = true;
  if (rep.description !== undefined) alert.description = rep.description;
  if (rep.runbook !== undefined) alert.runbook = rep.runbook;
  if (rep.reference !== undefined) alert.reference = rep.reference;
  if (rep.destinations !== undefined) alert.destinations = rep.destinations;
  if (rep.error !== undefined) alert.error = rep.error;
  if (rep.suppressed !== undefined) alert.suppressed = rep.suppressed;
  return alert;
}
