// The evaluator: runs every enabled rule (per-event, first-seen, aggregate, silence) of an event's log type, hands its
// unsuppressed matches to the correlation rules, turns matches into alert revisions (or signals, for signal rules),
// and moves the event-time watermark of the event's (tailnet, log type) stream. The same events in the same order give the same alerts whether they come from a replay or from `tailwatch run`.
import type { Alert } from '../alerts/alert.ts';
import type { AlertEvent } from '../alerts/alert-events.ts';
import { signalOf } from '../alerts/signal.ts';
import type { Signal } from '../alerts/signal.ts';
import type { AlertChanges, AlertMatch, RuleMatchTime } from '../alerts/alert-match.ts';
import { noChanges } from '../alerts/alert-match.ts';
import { AlertTracker } from '../alerts/alert-tracker.ts';
import type { AlertTrackerState } from '../alerts/alert-tracker.ts';
import { DEFAULT_ALLOWED_LATENESS_MINUTES } from '../alerts/lateness.ts';
import { Watermarks } from '../alerts/watermarks.ts';
import type { WatermarkEntry } from '../alerts/watermarks.ts';
import { attachInventory } from '../inventory/inventory.ts';
import type { InventoryTracker } from '../inventory/tracker.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { suppressionOf } from '../suppressions/suppression.ts';
import type { Suppression } from '../suppressions/suppression.ts';
import { AggregateRuleSet } from './aggregate/aggregate-rule-set.ts';
import type { AggregateRuleStats, AggregateState, LoadedAggregateRule } from './aggregate/aggregate-rule-set.ts';
import { enterLoading, leaveCall } from './base/rule-calls.ts';
import { indexByLogType } from './base/rule-index.ts';
import { CorrelationRuleSet } from './correlation/correlation-rule-set.ts';
import type { CorrelationRuleStats, CorrelationStates, LoadedCorrelationRule } from './correlation/correlation-rule-set.ts';
import { compileRule } from './event/compiled-rule.ts';
import type { CompiledRule } from './event/compiled-rule.ts';
import { evaluateRule } from './event/evaluate-rule.ts';
import { FirstSeenRuleSet } from './first-seen/first-seen-rule-set.ts';
import type { FirstSeenRuleStats, FirstSeenState, LoadedFirstSeenRule } from './first-seen/first-seen-rule-set.ts';
import type { LoadedRule } from './load-rules.ts';
import { SilenceRuleSet } from './silence/silence-rule-set.ts';
import type { LoadedSilenceRule, SilenceRuleStats, SilenceStates } from './silence/silence-rule-set.ts';

/** What one call changed: revisions to deliver now (new alerts, updates) and final forms of closed windows. */
export interface EvaluationResult {
  /** New alerts (revision 1). */
  readonly created: readonly Alert[];
  /** Later revisions of alerts emitted before (delivered as updates). */
  readonly revised: readonly Alert[];
  /** Final forms: windows settled (the watermark passed their end plus the lateness), or flushed. */
  readonly closed: readonly Alert[];
  /** Matches of signal rules: recorded, no alert. */
  readonly signals: readonly Signal[];
  /** Events of alerts' matches (the first and latest few of each alert, engine/alerts/alert-events.ts). */
  readonly events: readonly AlertEvent[];
  /** Each RULE match (signal rules' too): its rule and event time. */
  readonly matched: readonly RuleMatchTime[];
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
  /** Matches silenced, by suppression id (they form suppressed alerts, delivered nowhere). */
  suppressed: Record<string, number>;
  /** Window counts of each aggregate rule, by rule id. */
  aggregates: Record<string, AggregateRuleStats>;
  /** Seen-value counts of each first-seen rule, by rule id. */
  firstSeen: Record<string, FirstSeenRuleStats>;
  /** Signals recorded, by rule id. */
  signals: Record<string, number>;
  /** Hit and chain counts of each correlation rule, by rule id. */
  correlations: Record<string, CorrelationRuleStats>;
  /** Silence rules' reporters, late reports and silences found, by rule id. */
  silences: Record<string, SilenceRuleStats>;
}

/** Everything the evaluator remembers between events, as plain JSON (the live evaluator snapshots it). */
export interface EvaluatorState {
  watermarks: WatermarkEntry[];
  alerts: AlertTrackerState;
  aggregates: AggregateState;
  firstSeen: FirstSeenState;
  correlations?: CorrelationStates;
  silences?: SilenceStates;
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
const NOTHING: EvaluationResult = Object.freeze({
  created: Object.freeze([]), revised: Object.freeze([]), closed: Object.freeze([]), signals: Object.freeze([]), events: Object.freeze([]), matched: Object.freeze([]),
});

export class Evaluator {
  #rulesByLogType = new Map<string, CompiledRule[]>();
  readonly #aggregates: AggregateRuleSet;
  readonly #firstSeen = new FirstSeenRuleSet();
  /** Reused for the first-seen and aggregate matches of each event, and for the crossings it settles. */
  readonly #kindMatches: AlertMatch[] = [];
  readonly #settled: AlertMatch[] = [];
  readonly #correlations: CorrelationRuleSet;
  readonly #silences: SilenceRuleSet;
  /** Reused: the silences this event's watermark settles. */
  readonly #silenceMatches: AlertMatch[] = [];
  /** Reused: this event's unsuppressed RULE matches (the correlations' input), and the correlation matches they and the watermark give. */
  readonly #eventMatches: AlertMatch[] = [];
  readonly #correlationMatches: AlertMatch[] = [];
  #signalRules = new Set<string>();
  readonly #signals = new Map<string, number>();
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
  readonly #suppressedBy = new Map<string, number>();
  #suppressions: readonly Suppression[] = [];
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
    this.#correlations = new CorrelationRuleSet(this.#lateness);
    const inventory = this.#inventory;
    // A silence reads the inventory as of its end, at the stream position reached when the watermark settles it.
    this.#silences = new SilenceRuleSet(this.#lateness, (tailnet, timeMs) => inventory?.reader.at(tailnet, timeMs, inventory.position(tailnet)));
    this.setRules(rules);
  }

  /**
   * Swaps the rule set (hot reload); open alert windows are kept, and so are the aggregation windows of unchanged
   * stateful rules (aggregate windows, seen values, correlation hits, reporters). Throws RuleLoadError (and changes nothing)
   * when a rule's window or correlation is invalid.
   */
  setRules(rules: readonly LoadedRule[]): void {
    // Compiling runs rule code (a correlation's correlate()): it counts as loading for the watchdog.
    enterLoading('the rule set');
    try {
      this.#compile(rules);
    } finally {
      leaveCall();
    }
  }

  #compile(rules: readonly LoadedRule[]): void {
    const aggregates: LoadedAggregateRule[] = [];
    const firstSeen: LoadedFirstSeenRule[] = [];
    const correlations: LoadedCorrelationRule[] = [];
    const silences: LoadedSilenceRule[] = [];
    const perEvent: CompiledRule[] = [];
    const signalRules = new Set(rules.filter((loaded) => loaded.rule.signal === true).map((loaded) => loaded.rule.id));
    for (const { rule, options, file } of rules) {
      if (rule.kind === 'aggregate') {
        aggregates.push({ rule, options, file });
        continue;
      }
      if (rule.kind === 'firstSeen') {
        firstSeen.push({ rule, options, file });
        continue;
      }
      if (rule.kind === 'correlation') {
        correlations.push({ rule, options, file });
        continue;
      }
      if (rule.kind === 'silence') {
        silences.push({ rule, options, file });
        continue;
      }
      perEvent.push(compileRule(rule, options));
    }
    // Every stateful kind compiles before any swaps, so an invalid rule of any kind changes nothing.
    const swapFirstSeen = this.#firstSeen.prepare(firstSeen);
    const swapCorrelations = this.#correlations.prepare(correlations);
    const swapSilences = this.#silences.prepare(silences);
    this.#aggregates.update(aggregates);
    swapFirstSeen();
    swapCorrelations();
    swapSilences();
    this.#rulesByLogType = indexByLogType(perEvent);
    this.#signalRules = signalRules;
  }

  /** Swaps the suppressions (as code and ad hoc; hot reload): each match is checked against them at its event time. */
  setSuppressions(suppressions: readonly Suppression[]): void {
    this.#suppressions = suppressions;
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
        if (match !== null) changes = this.#record(match, event, changes);
      }
    }
    const kindMatches = this.#kindMatches;
    const settled = this.#settled;
    this.#firstSeen.evaluate(event, timeMs, kindMatches, false);
    const lateForAggregates = this.#aggregates.evaluate(event, timeMs, this.#watermarks, kindMatches, settled);
    if (kindMatches.length > 0) {
      // Every match (crossings too) is made by this event: it is what suppressions match identities on.
      for (const match of kindMatches) changes = this.#record(match, event, changes);
      kindMatches.length = 0;
    }
    // Correlations read this event's matches, and evaluate what its watermark makes due, before it moves. A chain has
    // no single event: its matches are recorded without one.
    const correlated = this.#correlationMatches;
    const lateForCorrelations = this.#correlations.active && this.#correlations.process(event, timeMs, this.#eventMatches, this.#watermarks, correlated);
    if (correlated.length > 0) {
      for (const match of correlated) changes = this.#record(match, undefined, changes);
      correlated.length = 0;
    }
    // Silences have no event (a suppression by dedup key may still apply), and are no inputs of correlations.
    const silenced = this.#silenceMatches;
    const lateForSilences = this.#silences.process(event, timeMs, this.#watermarks, silenced);
    if (silenced.length > 0) {
      for (const match of silenced) changes = this.#record(match, undefined, changes);
      silenced.length = 0;
    }
    if (inventory !== undefined && position !== undefined) inventory.learn(event, timeMs, position);
    // Correlation and silence matches are never inputs of correlations.
    this.#eventMatches.length = 0;
    if (lateForAggregates || lateForCorrelations || lateForSilences || this.#tracker.counts.lateMatches !== lateBefore) {
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

  /**
   * Primes the first-seen rules with an event (replay --learn-from): its values are learned, nothing fires, and no
   * alert window, aggregate or watermark moves.
   */
  learn(event: TailscaleEvent, eventTimeMs: number): void {
    this.#firstSeen.evaluate(event, eventTimeMs, this.#kindMatches, true);
  }

  /** A RULE_ERROR match found outside the rules (the watchdog stopped the rule on `event`), recorded like the others. */
  recordRuleError(match: AlertMatch, event: TailscaleEvent): EvaluationResult {
    return this.#counted(this.#record(match, event, undefined));
  }

  exportState(): EvaluatorState {
    return {
      watermarks: this.#watermarks.entries(),
      alerts: this.#tracker.exportState(),
      aggregates: this.#aggregates.exportState(),
      firstSeen: this.#firstSeen.exportState(),
      correlations: this.#correlations.exportState(),
      silences: this.#silences.exportState(),
    };
  }

  /** Replaces every window (alert and aggregate), the seen values, the correlation hits, the reporters and the watermarks with a saved state. */
  restoreState(state: EvaluatorState): void {
    this.#watermarks.restore(state.watermarks ?? []);
    this.#tracker.importState(state.alerts);
    this.#aggregates.importState(state.aggregates ?? {});
    this.#firstSeen.importState(state.firstSeen ?? {});
    this.#correlations.importState(state.correlations ?? {});
    this.#silences.importState(state.silences ?? {});
  }

  /** Forgets every window, seen value, correlation hit, reporter and watermark (the rules stay). */
  reset(): void {
    this.restoreState({ watermarks: [], alerts: { windows: [], evictedThroughMs: null }, aggregates: {}, firstSeen: {}, correlations: {}, silences: {} });
  }

  /** Settles and closes every open window (end of a replay): the final forms. */
  flush(): EvaluationResult {
    const changes = noChanges();
    this.#correlations.settleAll(this.#watermarks, this.#correlationMatches);
    for (const match of this.#correlationMatches) this.#record(match, undefined, changes);
    this.#correlationMatches.length = 0;
    this.#silences.settleAll(this.#watermarks, this.#silenceMatches);
    for (const match of this.#silenceMatches) this.#record(match, undefined, changes);
    this.#silenceMatches.length = 0;
    this.#eventMatches.length = 0;
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
      suppressed: Object.fromEntries(this.#suppressedBy),
      alertsCreated: this.#alertsCreated,
      alertsClosed: this.#alertsClosed,
      openWindows: this.#tracker.size,
      evictedWindows: this.#tracker.counts.evictedWindows,
      aggregates: this.#aggregates.stats(),
      firstSeen: this.#firstSeen.stats(),
      signals: Object.fromEntries(this.#signals),
      correlations: this.#correlations.stats(),
      silences: this.#silences.stats(),
    };
  }

  /**
   * `event`: what the match is about (undefined for correlation matches). A suppressed match feeds no correlation
   * (the user declared it expected) and, of a signal rule, is counted but stored as no signal.
   */
  #record(found: AlertMatch, event: TailscaleEvent | undefined, changes: AlertChanges | undefined): AlertChanges {
    const match = this.#suppressed(found, event);
    const isRule = match.alert.type === 'RULE';
    count(isRule ? this.#matches : this.#ruleErrors, match.alert.ruleId);
    const out = changes ?? noChanges();
    if (isRule) out.matched.push({ ruleId: match.alert.ruleId, eventTimeMs: match.eventTimeMs });
    const unsuppressed = match.alert.suppressed === undefined;
    if (isRule && unsuppressed && this.#correlations.active) this.#eventMatches.push(match);
    if (isRule && this.#signalRules.has(match.alert.ruleId)) {
      // Correlation rules cannot be signals: a signal's match always has its event.
      if (unsuppressed) {
        out.signals.push(signalOf(match, event!));
        count(this.#signals, match.alert.ruleId);
      }
      this.#onMatch?.(match, false);
      return out;
    }
    const lateBefore = this.#tracker.counts.lateMatches;
    this.#tracker.record(match, this.#watermarks, out, event);
    const late = this.#tracker.counts.lateMatches !== lateBefore;
    if (late) count(this.#late, match.alert.ruleId);
    this.#onMatch?.(match, late);
    return out;
  }

  /**
   * The match, marked with the suppression that silences it (RULE_ERROR matches are never suppressed). A correlation
   * match has no event: only suppressions that need none (ad hoc ones, by dedup key) apply to it.
   */
  #suppressed(match: AlertMatch, event: TailscaleEvent | undefined): AlertMatch {
    if (this.#suppressions.length === 0 || match.alert.type !== 'RULE') return match;
    const suppressed = suppressionOf(this.#suppressions, match, event);
    if (suppressed === undefined) return match;
    count(this.#suppressedBy, suppressed.id);
    return { ...match, alert: { ...match.alert, suppressed } };
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
