// Every enabled first-seen rule, indexed by log type: what the evaluator calls per event to get first-seen matches.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import type { LoadedKindRule } from '../base/compiled-metadata.ts';
import { enterRule, leaveCall } from '../base/rule-calls.ts';
import { indexByLogType, recompile } from '../base/rule-index.ts';
import type { Compiled } from '../base/rule-index.ts';
import { compileFirstSeenRule } from './compiled-first-seen-rule.ts';
import type { CompiledFirstSeenRule } from './compiled-first-seen-rule.ts';
import { firstSeenMatch, firstSeenOf, observeValues } from './evaluate-first-seen-rule.ts';
import type { AnyFirstSeenRule } from './first-seen-rule-shape.ts';
import type { SeenCounts, SeenValuesSnapshot } from './seen-values.ts';

export type LoadedFirstSeenRule = LoadedKindRule<AnyFirstSeenRule>;

export interface FirstSeenRuleStats extends SeenCounts {
  /** Values remembered now. */
  values: number;
}

/** Every first-seen rule's seen values, by rule id: plain JSON data for `run` snapshots. */
export type FirstSeenState = Record<string, SeenValuesSnapshot>;

export class FirstSeenRuleSet {
  #byLogType = new Map<string, CompiledFirstSeenRule[]>();
  #compiled = new Map<string, Compiled<LoadedFirstSeenRule, CompiledFirstSeenRule>>();

  /**
   * Swaps the rule set (hot reload). A rule whose module object and options are unchanged keeps its values; a changed
   * or new rule starts afresh, with its learning period. Throws RuleLoadError (and changes nothing) on an invalid window.
   */
  update(rules: readonly LoadedFirstSeenRule[]): void {
    this.prepare(rules)();
  }

  /** Compiles the rules without swapping them in: the returned function does (so every kind can be checked first). */
  prepare(rules: readonly LoadedFirstSeenRule[]): () => void {
    const compiled = recompile(this.#compiled, rules, (loaded) => compileFirstSeenRule(loaded.rule, loaded.options));
    return () => {
      this.#byLogType = indexByLogType([...compiled.values()].map((entry) => entry.compiled));
      this.#compiled = compiled;
    };
  }

  /**
   * Applies the event's observations to each rule's values in input order and pushes a match for each first
   * sighting. `learnOnly` (replay --learn-from) records them and pushes nothing, errors included.
   */
  evaluate(event: TailscaleEvent, eventTimeMs: number, out: AlertMatch[], learnOnly: boolean): void {
    const rules = this.#byLogType.get(event.p_log_type);
    if (rules === undefined) return;
    for (const rule of rules) {
      enterRule(rule.id);
      try {
        observe(rule, event, eventTimeMs, out, learnOnly);
      } finally {
        leaveCall();
      }
    }
  }

  exportState(): FirstSeenState {
    const state: FirstSeenState = {};
    for (const [id, { compiled }] of this.#compiled) state[id] = compiled.seen.exportState();
    return state;
  }

  /** Replaces every rule's values with the saved ones (rules missing from `state` start afresh). */
  importState(state: FirstSeenState): void {
    for (const [id, { compiled }] of this.#compiled) compiled.seen.importState(state[id]);
  }

  stats(): Record<string, FirstSeenRuleStats> {
    const stats: Record<string, FirstSeenRuleStats> = {};
    for (const [id, { compiled }] of this.#compiled) stats[id] = { ...compiled.seen.counts, values: compiled.seen.size };
    return stats;
  }
}

function observe(rule: CompiledFirstSeenRule, event: TailscaleEvent, eventTimeMs: number, out: AlertMatch[], learnOnly: boolean): void {
  const observed = observeValues(rule, event, eventTimeMs);
  if (!Array.isArray(observed)) {
    if (!learnOnly) out.push(observed as AlertMatch);
    return;
  }
  for (const observation of observed) {
    const sighting = rule.seen.observe(event.p_tailnet, observation.key, eventTimeMs, learnOnly);
    if (sighting.kind === 'new') out.push(firstSeenMatch(rule, firstSeenOf(rule, event, observation, sighting.lastSeenMs), eventTimeMs));
  }
}
