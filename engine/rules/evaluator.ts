// The evaluator: runs every enabled rule (per-event and aggregate) of an event's log type and turns matches into
// alert changes.
import { AggregateRuleSet } from '../aggregate/aggregate-rule-set.ts';
import type { AggregateRuleStats, LoadedAggregateRule } from '../aggregate/aggregate-rule-set.ts';
import type { Alert } from '../alerts/alert.ts';
import type { AlertChanges, AlertMatch } from '../alerts/alert-tracker.ts';
import { AlertTracker } from '../alerts/alert-tracker.ts';
import { createMemoryStateStore } from '../alerts/memory-store.ts';
import type { AlertStateStore, AlertWindow } from '../alerts/state-store.ts';
import type { AggregateState } from '../aggregate/aggregate-rule-set.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { compileRule } from './compiled-rule.ts';
import type { CompiledRule } from './compiled-rule.ts';
import { evaluateRule } from './evaluate-rule.ts';
import type { LoadedRule } from './load-rules.ts';

/** What one call changed: alerts to deliver now, and alerts whose window closed (final counts). */
export interface EvaluationResult {
  readonly created: readonly Alert[];
  readonly closed: readonly Alert[];
}

export interface EvaluatorStats {
  events: number;
  /** Matches (before dedup and threshold) and errors, by rule id. */
  matches: Record<string, number>;
  ruleErrors: Record<string, number>;
  alertsCreated: number;
  alertsClosed: number;
  openWindows: number;
  /** Window counts of each aggregate rule, by rule id. */
  aggregates: Record<string, AggregateRuleStats>;
}

/** Everything the evaluator remembers between events, as plain JSON (the live evaluator snapshots it). */
export interface EvaluatorState {
  /** null before the first event. */
  watermarkMs: number | null;
  windows: [string, AlertWindow][];
  aggregates: AggregateState;
}

/** Returned when nothing changed (most events), so the hot path allocates nothing. */
const NOTHING: EvaluationResult = Object.freeze({ created: Object.freeze([]), closed: Object.freeze([]) });

export interface EvaluatorOptions {
  /** Alert window state; default: in memory, bounded by lru-cache. */
  store?: AlertStateStore;
  /** The watermark to resume from (with a durable store). */
  watermarkMs?: number;
  /** Called with every match (before dedup and threshold), e.g. by test helpers. */
  onMatch?: (match: AlertMatch) => void;
}

export class Evaluator {
  #rulesByLogType = new Map<string, CompiledRule[]>();
  readonly #aggregates = new AggregateRuleSet();
  /** Reused for the aggregate matches of each event. */
  readonly #aggregateMatches: AlertMatch[] = [];
  #tracker: AlertTracker;
  #events = 0;
  #alertsCreated = 0;
  #alertsClosed = 0;
  readonly #matches = new Map<string, number>();
  readonly #ruleErrors = new Map<string, number>();
  readonly #store: AlertStateStore;
  readonly #onMatch: ((match: AlertMatch) => void) | undefined;

  constructor(rules: readonly LoadedRule[], options: EvaluatorOptions = {}) {
    this.#store = options.store ?? createMemoryStateStore();
    this.#onMatch = options.onMatch;
    this.#tracker = new AlertTracker(this.#store, options.watermarkMs === undefined ? {} : { watermarkMs: options.watermarkMs });
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

  get watermarkMs(): number {
    return this.#tracker.watermarkMs;
  }

  /** `eventTimeMs`: p_event_time as epoch ms, when the caller has it already (parseRecord returns it). */
  process(event: TailscaleEvent, eventTimeMs?: number): EvaluationResult {
    this.#events += 1;
    const parsedMs = eventTimeMs ?? Date.parse(event.p_event_time);
    // parseRecord always sets a valid time; anything else is placed at the watermark rather than crash.
    const timeMs = Number.isNaN(parsedMs) ? Math.max(this.#tracker.watermarkMs, 0) : parsedMs;
    let changes: AlertChanges | undefined;
    const rules = this.#rulesByLogType.get(event.p_log_type);
    if (rules !== undefined) {
      for (const rule of rules) {
        const match = evaluateRule(rule, event, timeMs);
        if (match !== null) changes = this.#record(match, changes);
      }
    }
    const aggregateMatches = this.#aggregateMatches;
    this.#aggregates.evaluate(event, timeMs, aggregateMatches);
    if (aggregateMatches.length > 0) {
      for (const match of aggregateMatches) changes = this.#record(match, changes);
      aggregateMatches.length = 0;
    }
    if (this.#tracker.advance(timeMs)) {
      changes ??= { created: [], closed: [] };
      this.#tracker.closeDue(changes);
    }
    return changes === undefined ? NOTHING : this.#counted(changes);
  }

  exportState(): EvaluatorState {
    const watermarkMs = this.#tracker.watermarkMs;
    return {
      watermarkMs: Number.isFinite(watermarkMs) ? watermarkMs : null,
      windows: [...this.#store.entries()],
      aggregates: this.#aggregates.exportState(),
    };
  }

  /** Replaces every window (alert and aggregate) and the watermark with a saved state. */
  restoreState(state: EvaluatorState): void {
    this.reset();
    for (const [key, window] of state.windows) this.#store.set(key, window);
    this.#tracker = new AlertTracker(this.#store, state.watermarkMs === null ? {} : { watermarkMs: state.watermarkMs });
    this.#aggregates.importState(state.aggregates);
  }

  /** Forgets every window and the watermark (the rules stay). */
  reset(): void {
    for (const key of [...this.#store.entries()].map(([k]) => k)) this.#store.delete(key);
    this.#store.drainEvicted();
    this.#tracker = new AlertTracker(this.#store);
    this.#aggregates.importState({});
  }

  /** Closes every open window (end of a replay). */
  flush(): EvaluationResult {
    const changes: AlertChanges = { created: [], closed: [] };
    this.#tracker.flush(changes);
    return this.#counted(changes);
  }

  stats(): EvaluatorStats {
    return {
      events: this.#events,
      matches: Object.fromEntries(this.#matches),
      ruleErrors: Object.fromEntries(this.#ruleErrors),
      alertsCreated: this.#alertsCreated,
      alertsClosed: this.#alertsClosed,
      openWindows: this.#store.size,
      aggregates: this.#aggregates.stats(),
    };
  }

  #record(match: AlertMatch, changes: AlertChanges | undefined): AlertChanges {
    count(match.alert.type === 'RULE' ? this.#matches : this.#ruleErrors, match.alert.ruleId);
    this.#onMatch?.(match);
    const out = changes ?? { created: [], closed: [] };
    this.#tracker.record(match, out);
    return out;
  }

  #counted(changes: AlertChanges): EvaluationResult {
    this.#alertsCreated += changes.created.length;
    this.#alertsClosed += changes.closed.length;
    return changes;
  }
}

function count(counts: Map<string, number>, ruleId: string): void {
  counts.set(ruleId, (counts.get(ruleId) ?? 0) + 1);
}
