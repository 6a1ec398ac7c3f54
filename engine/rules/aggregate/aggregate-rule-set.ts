// Every enabled aggregate rule, indexed by log type: what the evaluator calls per event to get aggregate matches.
import type { AggregatorCounts, AggregatorOutput, AggregatorSnapshot } from '../../aggregate/aggregator.ts';
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { Watermarks } from '../../alerts/watermarks.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import type { AnyAggregateRule } from './aggregate-rule-shape.ts';
import { indexByLogType, recompile } from '../base/rule-index.ts';
import type { Compiled } from '../base/rule-index.ts';
import { compileAggregateRule } from './compiled-aggregate-rule.ts';
import type { CompiledAggregateRule } from './compiled-aggregate-rule.ts';
import { crossingMatches, settledMatches } from './evaluate-aggregate-rule.ts';

export interface LoadedAggregateRule {
  rule: AnyAggregateRule;
  options: Record<string, unknown>;
  file?: string;
}

export interface AggregateRuleStats extends AggregatorCounts {
  liveGroups: number;
}

/** Every aggregate rule's windows, by rule id: plain JSON data for `run` snapshots. */
export type AggregateState = Record<string, AggregatorSnapshot>;

export class AggregateRuleSet {
  #byLogType = new Map<string, CompiledAggregateRule[]>();
  #compiled = new Map<string, Compiled<LoadedAggregateRule, CompiledAggregateRule>>();

  readonly #latenessMinutes: number;
  /** Reused for each rule's output on each event. */
  readonly #output: AggregatorOutput = { crossings: [], settled: [] };

  constructor(allowedLatenessMs: number, rules: readonly LoadedAggregateRule[] = []) {
    this.#latenessMinutes = allowedLatenessMs / 60_000;
    this.update(rules);
  }

  /**
   * Swaps the rule set (hot reload). A rule whose module object and options are unchanged keeps its windows;
   * a changed or new rule starts with empty windows. Throws RuleLoadError (and changes nothing) on an invalid window.
   */
  update(rules: readonly LoadedAggregateRule[]): void {
    const compiled = recompile(this.#compiled, rules, (loaded) => compileAggregateRule(loaded.rule, loaded.options, this.#latenessMinutes));
    this.#byLogType = indexByLogType([...compiled.values()].map((entry) => entry.compiled));
    this.#compiled = compiled;
  }

  get size(): number {
    return this.#compiled.size;
  }

  /**
   * Pushes a match for every window that crossed on this event (most events push nothing), and a revised match for
   * every earlier crossing the event's time settles. True when the event was too late for at least one rule.
   */
  evaluate(event: TailscaleEvent, eventTimeMs: number, watermarks: Watermarks, out: AlertMatch[], revised: AlertMatch[]): boolean {
    const rules = this.#byLogType.get(event.p_log_type);
    if (rules === undefined) return false;
    const output = this.#output;
    let late = false;
    for (const rule of rules) {
      const lateBefore = rule.aggregator.counts.lateEvents;
      const clock = watermarks.clock(event.p_tailnet, rule.logTypes);
      const next = watermarks.clockAfter(event.p_tailnet, rule.logTypes, event.p_log_type, eventTimeMs);
      crossingMatches(rule, event, eventTimeMs, clock, next, output, out);
      settledMatches(rule, output.settled, revised);
      output.crossings.length = 0;
      output.settled.length = 0;
      if (rule.aggregator.counts.lateEvents !== lateBefore) late = true;
    }
    return late;
  }

  /** Revised matches of the crossings in `tailnet` that its clocks now settle (for rules the last event did not reach). */
  settle(tailnet: string, watermarks: Watermarks, revised: AlertMatch[]): void {
    const settled = this.#output.settled;
    for (const { compiled: rule } of this.#compiled.values()) {
      rule.aggregator.settle(tailnet, watermarks.clock(tailnet, rule.logTypes), settled);
      settledMatches(rule, settled, revised);
      settled.length = 0;
    }
  }

  /** Revised matches of every crossing still pending (end of a replay). */
  settleAll(revised: AlertMatch[]): void {
    const settled = this.#output.settled;
    for (const { compiled: rule } of this.#compiled.values()) {
      rule.aggregator.settleAll(settled);
      settledMatches(rule, settled, revised);
      settled.length = 0;
    }
  }

  exportState(): AggregateState {
    const state: AggregateState = {};
    for (const [id, { compiled }] of this.#compiled) state[id] = compiled.aggregator.exportState();
    return state;
  }

  /** Replaces every rule's windows with the saved ones (rules missing from `state`, or changed since, start empty). */
  importState(state: AggregateState): void {
    for (const [id, { compiled }] of this.#compiled) compiled.aggregator.importState(state[id]);
  }

  stats(): Record<string, AggregateRuleStats> {
    const stats: Record<string, AggregateRuleStats> = {};
    for (const [id, { compiled }] of this.#compiled) stats[id] = { ...compiled.aggregator.counts, liveGroups: compiled.aggregator.liveGroups };
    return stats;
  }
}
