// The evaluator: runs every enabled rule (per-event and aggregate) of an event's log type, turns matches into alert
// revisions, and moves the event-time watermark of the event's (tailnet, log type) stream. The same events in the
// same order give the same alerts whether they come from a replay or from `tailwatch run`.
import type { Alert } from '../alerts/alert.ts';
import type { AlertChanges, AlertMatch } from '../alerts/alert-match.ts';
import { noChanges } from '../alerts/alert-match.ts';
import { AlertTracker } from '../alerts/alert-tracker.ts';
import type { AlertTrackerState } from '../alerts/alert-tracker.ts';
import { DEFAULT_ALLOWED_LATENESS_MINUTES } from '../alerts/lateness.ts';
import { Watermarks } from '../alerts/watermarks.ts';
import type { WatermarkEntry } from '../alerts/watermarks.ts';
import { attachInventory } from '../inventory/inventory.ts';
import type { InventoryTracker } from '../inventory/tracker.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { AggregateRuleSet } from './aggregate/aggregate-rule-set.ts';
import type { AggregateRuleStats, AggregateState, LoadedAggregateRule } from './aggregate/aggregate-rule-set.ts';
import { compileRule } from './event/compiled-rule.ts';
import type { CompiledRule } from './event/compiled-rule.ts';
import { evaluateRule } from './event/evaluate-rule.ts';
import type { LoadedRule } from './load-rules.ts';

/** What one call changed: revisions to deliver now (new alerts, updates) and final forms of closed windows. */
export interface EvaluationResult {
  /** New alerts (revision 1). */
  readonly created: readonly Alert[];
  /** Later revisions of alerts emitted before (delivered as updates). */
  readonly revised: readonly Alert[];
  /** Final forms: windows settled (the watermark passed their end plus the lateness), or flushed. */
  readonly closed: readonly Alert[];
}

export interface EvaluatorStats {
  events: number;
  /** Matches (before dedup and threshold) and errors, by rule id. */
  matches: Record<string, number>;
  ruleErrors: Record<string, number>;
  /** Matches that arrived after their window had closed, by rule id (they form late alerts). */
  lateMatches: Record<string, number>;
  /** Events that were late for at least one rule (a late match, or contributions too late to aggregate), by source. */
  lateEventsBySource: Record<string, number>;
  alertsCreated: number;
  alertsClosed: number;
  openWindows: number;
  /** Windows closed early because the open-window cap was reached (their later matches are late). */
  evictedWindows: number;
  /** Window counts of each aggregate rule, by rule id. */
  aggregates: Record<string, AggregateRuleStats>;
}

/** Everything the evaluator remembers between events, as plain JSON (the live evaluator snapshots it). */
export interface EvaluatorState {
  watermarks: WatermarkEntry[];
  alerts: AlertTrackerState;
  aggregates: AggregateState;
}


export interface EvaluatorOptions {
  allowedLatenessMinutes?: number;
  /** Open alert windows kept (default 100 000). */
  maxWindows?: number;
  /** Called with every match (before dedup and threshold), e.g. by test helpers and metrics. */
  onMatch?: (match: AlertMatch, late: boolean) => void;
  /** Called once for each event that was late for at least one rule (metrics count them by source). */
  onLateEvent?: (event: TailscaleEvent) => void;
  /** The tailnet inventory: rules read it as `event.inventory`, and webhook and audit events update it. */
  inventory?: InventoryTracker;
}

/** Returned when nothing changed (most events), so the hot path allocates nothing. */
const NOTHING: EvaluationResult = Object.freeze({ created: Object.freeze([]), revised: Object.freeze([]), closed: Object.freeze([]) });

export class Evaluator {
  #rulesByLogType = new Map<string, CompiledRule[]>();
  readonly #aggregates: AggregateRuleSet;
  /** Reused for the aggregate matches of each event, and for the crossings it settles. */
  readonly #aggregateMatches: AlertMatch[] = [];
  readonly #settled: AlertMatch[] = [];
  readonly #tracker: AlertTracker;
  readonly #watermarks = new Watermarks();
  readonly #lateness: number;
  #events = 0;
  #alertsCreated = 0;
  #alertsClosed = 0;
  readonly #matches = new Map<string, number>();
  readonly #ruleErrors = new Map<string, number>();
  readonly #late = new Map<string, number>();
  readonly #lateBySource = new Map<string, number>();
  readonly #onMatch: ((match: AlertMatch, late: boolean) => void) | undefined;
  readonly #onLateEvent: ((event: TailscaleEvent) => void) | undefined;
  readonly #inventory: InventoryTracker | undefined;

  constructor(rules: readonly LoadedRule[], options: EvaluatorOptions = {}) {
    this.#lateness = (options.allowedLatenessMinutes ?? DEFAULT_ALLOWED_LATENESS_MINUTES) * 60_000;
    this.#onMatch = options.onMatch;
    this.#onLateEvent = options.onLateEvent;
    this.#inventory = options.inventory;
    this.#tracker = new AlertTracker({ allowedLatenessMs: this.#lateness, ...(options.maxWindows === undefined ? {} : { maxWindows: options.maxWindows }) });
    this.#aggregates = new AggregateRuleSet(this.#lateness);
    this.setRules(rules);
  }

  /**
   * Swaps the rule set (hot reload); open alert windows are kept, and so are the aggregation windows of unchanged
   * aggregate rules. Throws RuleLoadError (and changes nothing) when an aggregate rule's window is invalid.
   */
  setRules(rules: readonly LoadedRule[]): void {
    const aggregates: LoadedAggregateRule[] = [];
    const byLogType = new Map<string, CompiledRule[]>();
    for (const { rule, options, file } of rules) {
      if (rule.kind === 'aggregate') {
        aggregates.push({ rule, options, file });
        continue;
      }
      const compiled = compileRule(rule, options);
      if (!compiled.enabled) continue;
      for (const logType of compiled.logTypes) {
        const list = byLogType.get(logType);
        if (list === undefined) byLogType.set(logType, [compiled]);
        else list.push(compiled);
      }
    }
    this.#aggregates.update(aggregates);
    this.#rulesByLogType = byLogType;
  }

  /** `eventTimeMs`: p_event_time as epoch ms, when the caller has it already (parseRecord returns it). */
  process(event: TailscaleEvent, eventTimeMs?: number): EvaluationResult {
    const timeMs = eventTimeMs ?? Date.parse(event.p_event_time);
    // parseRecord only returns events with a valid, plausible time.
    if (!Number.isFinite(timeMs)) return NOTHING;
    this.#events += 1;
    const lateBefore = this.#tracker.counts.lateMatches;
    let changes: AlertChanges | undefined;
    const inventory = this.#inventory;
    const position = inventory?.advance(event, timeMs);
    if (inventory !== undefined && position !== undefined) attachInventory(event, inventory.reader.at(event.p_tailnet, timeMs, position));
    const rules = this.#rulesByLogType.get(event.p_log_type);
    if (rules !== undefined) {
      for (const rule of rules) {
        const match = evaluateRule(rule, event, timeMs);
        if (match !== null) changes = this.#record(match, changes);
      }
    }
    const aggregateMatches = this.#aggregateMatches;
    const settled = this.#settled;
    const lateForAggregates = this.#aggregates.evaluate(event, timeMs, this.#watermarks, aggregateMatches, settled);
    if (aggregateMatches.length > 0) {
      for (const match of aggregateMatches) changes = this.#record(match, changes);
      aggregateMatches.length = 0;
    }
    if (inventory !== undefined && position !== undefined) inventory.learn(event, timeMs, position);
    if (lateForAggregates || this.#tracker.counts.lateMatches !== lateBefore) {
      count(this.#lateBySource, event.p_source_id);
      this.#onLateEvent?.(event);
    }
    const tailnet = event.p_tailnet;
    if (this.#watermarks.advance(tailnet, event.p_log_type, timeMs)) {
      this.#aggregates.settle(tailnet, this.#watermarks, settled);
      this.#revise(settled);
      if (this.#tracker.hasDue(tailnet, this.#watermarks)) {
        changes ??= noChanges();
        this.#tracker.closeDue(tailnet, this.#watermarks, changes);
      }
    } else if (settled.length > 0) {
      this.#revise(settled);
    }
    return changes === undefined ? NOTHING : this.#counted(changes);
  }

  exportState(): EvaluatorState {
    return { watermarks: this.#watermarks.entries(), alerts: this.#tracker.exportState(), aggregates: this.#aggregates.exportState() };
  }

  /** Replaces every window (alert and aggregate) and the watermarks with a saved state. */
  restoreState(state: EvaluatorState): void {
    this.#watermarks.restore(state.watermarks ?? []);
    this.#tracker.importState(state.alerts);
    this.#aggregates.importState(state.aggregates ?? {});
  }

  /** Forgets every window and watermark (the rules stay). */
  reset(): void {
    this.restoreState({ watermarks: [], alerts: { windows: [], evictedThroughMs: null }, aggregates: {} });
  }

  /** Settles and closes every open window (end of a replay): the final forms. */
  flush(): EvaluationResult {
    const changes = noChanges();
    this.#aggregates.settleAll(this.#settled);
    this.#revise(this.#settled);
    this.#tracker.flush(changes);
    return this.#counted(changes);
  }

  stats(): EvaluatorStats {
    return {
      events: this.#events,
      matches: Object.fromEntries(this.#matches),
      ruleErrors: Object.fromEntries(this.#ruleErrors),
      lateMatches: Object.fromEntries(this.#late),
      lateEventsBySource: Object.fromEntries(this.#lateBySource),
      alertsCreated: this.#alertsCreated,
      alertsClosed: this.#alertsClosed,
      openWindows: this.#tracker.size,
      evictedWindows: this.#tracker.counts.evictedWindows,
      aggregates: this.#aggregates.stats(),
    };
  }

  #record(match: AlertMatch, changes: AlertChanges | undefined): AlertChanges {
    count(match.alert.type === 'RULE' ? this.#matches : this.#ruleErrors, match.alert.ruleId);
    const out = changes ?? noChanges();
    const lateBefore = this.#tracker.counts.lateMatches;
    this.#tracker.record(match, this.#watermarks, out);
    const late = this.#tracker.counts.lateMatches !== lateBefore;
    if (late) count(this.#late, match.alert.ruleId);
    this.#onMatch?.(match, late);
    return out;
  }

  #revise(settled: AlertMatch[]): void {
    for (const match of settled) this.#tracker.revise(match);
    settled.length = 0;
  }

  #counted(changes: AlertChanges): EvaluationResult {
    this.#alertsCreated += changes.created.length;
    this.#alertsClosed += changes.closed.length;
    return changes;
  }
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
