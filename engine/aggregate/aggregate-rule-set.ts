// Every enabled aggregate rule, indexed by log type: what the evaluator calls per event to get aggregate matches.
import type { AlertMatch } from '../alerts/alert-tracker.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { AggregatorCounts, AggregatorSnapshot } from './aggregator.ts';
import { compileAggregateRule } from './compiled-aggregate-rule.ts';
import type { CompiledAggregateRule } from './compiled-aggregate-rule.ts';
import { evaluateAggregateRule } from './evaluate-aggregate-rule.ts';
import type { AnyAggregateRule } from './types.ts';

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
  #compiled = new Map<string, { loaded: LoadedAggregateRule; compiled: CompiledAggregateRule }>();

  constructor(rules: readonly LoadedAggregateRule[] = []) {
    this.update(rules);
  }

  /**
   * Swaps the rule set (hot reload). A rule whose module object and options are unchanged keeps its windows;
   * a changed or new rule starts with empty windows. Throws RuleLoadError (and changes nothing) on an invalid window.
   */
  update(rules: readonly LoadedAggregateRule[]): void {
    const compiled = new Map<string, { loaded: LoadedAggregateRule; compiled: CompiledAggregateRule }>();
    for (const loaded of rules) {
      const previous = this.#compiled.get(loaded.rule.id);
      const unchanged =
        previous !== undefined && previous.loaded.rule === loaded.rule && JSON.stringify(previous.loaded.options) === JSON.stringify(loaded.options);
      compiled.set(loaded.rule.id, unchanged ? previous : { loaded, compiled: compileAggregateRule(loaded.rule, loaded.options) });
    }
    const byLogType = new Map<string, CompiledAggregateRule[]>();
    for (const { compiled: rule } of compiled.values()) {
      if (!rule.enabled) continue;
      for (const logType of rule.logTypes) {
        const list = byLogType.get(logType);
        if (list === undefined) byLogType.set(logType, [rule]);
        else list.push(rule);
      }
    }
    this.#compiled = compiled;
    this.#byLogType = byLogType;
  }

  get size(): number {
    return this.#compiled.size;
  }

  /** Pushes a match for every group that crossed its threshold on this event (most events push nothing). */
  evaluate(event: TailscaleEvent, eventTimeMs: number, out: AlertMatch[]): void {
    const rules = this.#byLogType.get(event.p_log_type);
    if (rules === undefined) return;
    for (const rule of rules) evaluateAggregateRule(rule, event, eventTimeMs, out);
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
