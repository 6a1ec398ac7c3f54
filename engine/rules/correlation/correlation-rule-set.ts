// Every enabled correlation rule: what the evaluator hands each event's matches to (one call per event), and what
// turns the hits due by the event's watermark into alert matches. Joins of several log types advance on the slowest
// of their watermarks in the tailnet.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { Watermarks } from '../../alerts/watermarks.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import type { LoadedKindRule } from '../base/compiled-metadata.ts';
import { recompile } from '../base/rule-index.ts';
import type { Compiled } from '../base/rule-index.ts';
import { compileCorrelationRule } from './compiled-correlation-rule.ts';
import type { CompiledCorrelationRule } from './compiled-correlation-rule.ts';
import type { AnyCorrelationRule } from './correlation-rule-shape.ts';
import { CorrelationState } from './correlation-state.ts';
import type { CorrelationCounts, CorrelationSnapshot, FoundChain } from './correlation-state.ts';
import { chainMatch } from './evaluate-correlation.ts';
import { stepHits } from './step-hits.ts';
import type { Hit } from './step-hits.ts';

export type LoadedCorrelationRule = LoadedKindRule<AnyCorrelationRule>;

export interface CorrelationRuleStats extends CorrelationCounts {
  liveHits: number;
}

/** Every correlation rule's held hits, by rule id: plain JSON data for `run` snapshots. */
export type CorrelationStates = Record<string, CorrelationSnapshot>;

/** A compiled rule with the hits it holds. */
interface Held {
  rule: CompiledCorrelationRule;
  state: CorrelationState;
}

export class CorrelationRuleSet {
  #entries = new Map<string, Compiled<LoadedCorrelationRule, Held>>();
  #enabled: Held[] = [];
  readonly #latenessMs: number;
  /** Reused for each event's hits and each rule's chains. */
  readonly #hits: Hit[] = [];
  readonly #found: FoundChain[] = [];

  constructor(allowedLatenessMs: number) {
    this.#latenessMs = allowedLatenessMs;
  }

  /**
   * Compiles the rule set (hot reload) and returns what swaps it in; an unchanged rule keeps its hits. Throws
   * RuleLoadError, changing nothing, on an invalid correlation.
   */
  prepare(rules: readonly LoadedCorrelationRule[]): () => void {
    const entries = recompile(this.#entries, rules, (loaded) => {
      const rule = compileCorrelationRule(loaded.rule, loaded.options);
      return { rule, state: new CorrelationState(rule, this.#latenessMs) };
    });
    return () => {
      this.#entries = entries;
      this.#enabled = [...entries.values()].map((entry) => entry.compiled).filter((held) => held.rule.enabled);
    };
  }

  /** False when no correlation rule is enabled: the evaluator then skips it altogether. */
  get active(): boolean {
    return this.#enabled.length > 0;
  }

  /**
   * One event: its RULE matches become hits (the pure part), kept unless late; then the hits its watermark makes due
   * are evaluated. Call before the event advances the watermark. Pushes chains (and key-function errors) as matches;
   * true when a hit was too late.
   */
  process(event: TailscaleEvent, eventTimeMs: number, matches: readonly AlertMatch[], watermarks: Watermarks, out: AlertMatch[]): boolean {
    const tailnet = event.p_tailnet;
    let late = false;
    for (const { rule: compiled, state } of this.#enabled) {
      const hits = this.#hits;
      if (matches.length > 0) stepHits(compiled, event, matches, hits, out);
      if (hits.length > 0) {
        const clock = watermarks.clock(tailnet, compiled.logTypes);
        for (const hit of hits) if (!state.accept(hit, clock)) late = true;
        hits.length = 0;
      }
      const next = watermarks.clockAfter(tailnet, compiled.logTypes, event.p_log_type, eventTimeMs);
      if (state.hasDue(tailnet, next)) this.#matches(compiled, (found) => state.settle(tailnet, next, found), out);
    }
    return late;
  }

  /** End of a replay: every pending hit evaluated (absences only once their window has ended). */
  settleAll(watermarks: Watermarks, out: AlertMatch[]): void {
    for (const { rule: compiled, state } of this.#enabled) {
      this.#matches(compiled, (found) => state.settleAll((tailnet) => watermarks.clock(tailnet, compiled.logTypes), found), out);
    }
  }

  exportState(): CorrelationStates {
    const states: CorrelationStates = {};
    for (const [id, { compiled: { state } }] of this.#entries) states[id] = state.exportState();
    return states;
  }

  /** Replaces every rule's hits with the saved ones (rules missing from `states` start empty). */
  importState(states: CorrelationStates): void {
    for (const [id, { compiled: { state } }] of this.#entries) state.importState(states[id]);
  }

  stats(): Record<string, CorrelationRuleStats> {
    const stats: Record<string, CorrelationRuleStats> = {};
    for (const [id, { compiled: { state } }] of this.#entries) stats[id] = { ...state.counts, liveHits: state.liveHits };
    return stats;
  }

  #matches(compiled: CompiledCorrelationRule, settle: (found: FoundChain[]) => void, out: AlertMatch[]): void {
    const found = this.#found;
    settle(found);
    for (const chain of found) out.push(chainMatch(compiled, chain));
    found.length = 0;
  }
}
