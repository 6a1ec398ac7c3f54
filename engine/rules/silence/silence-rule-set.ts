// Every enabled silence rule, indexed by log type: what the evaluator hands each event to (its reports, then the
// minutes its watermark settles), and what turns the silences found into alert matches, with the tailnet inventory
// as of each silence's end.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { Watermarks } from '../../alerts/watermarks.ts';
import type { Inventory } from '../../inventory/inventory.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import type { LoadedKindRule } from '../base/compiled-metadata.ts';
import { indexByLogType, recompile } from '../base/rule-index.ts';
import type { Compiled } from '../base/rule-index.ts';
import { compileSilenceRule } from './compiled-silence-rule.ts';
import type { CompiledSilenceRule } from './compiled-silence-rule.ts';
import { MS_PER_MINUTE, reportersOf, silenceEndMs, silenceMatch, silenceOf } from './evaluate-silence-rule.ts';
import type { AnySilenceRule } from './silence-rule-shape.ts';
import type { FoundSilence, ReportersSnapshot, SilenceCounts } from './reporters.ts';

export type LoadedSilenceRule = LoadedKindRule<AnySilenceRule>;

export interface SilenceRuleStats extends SilenceCounts {
  /** Reporters remembered now. */
  reporters: number;
}

/** Every silence rule's reporters, by rule id: plain JSON data for `run` snapshots. */
export type SilenceStates = Record<string, ReportersSnapshot>;

/** The inventory of a tailnet as of a time, at the stream position reached (undefined without an inventory). */
export type InventoryAt = (tailnet: string, timeMs: number) => Inventory | undefined;

export class SilenceRuleSet {
  #byLogType = new Map<string, CompiledSilenceRule[]>();
  #compiled = new Map<string, Compiled<LoadedSilenceRule, CompiledSilenceRule>>();
  readonly #latenessMs: number;
  readonly #inventoryAt: InventoryAt;
  /** Reused for each settlement's silences. */
  readonly #found: FoundSilence[] = [];

  constructor(allowedLatenessMs: number, inventoryAt: InventoryAt) {
    this.#latenessMs = allowedLatenessMs;
    this.#inventoryAt = inventoryAt;
  }

  /** Compiles the rules without swapping them in: the returned function does. An unchanged rule keeps its reporters. */
  prepare(rules: readonly LoadedSilenceRule[]): () => void {
    const compiled = recompile(this.#compiled, rules, (loaded) => compileSilenceRule(loaded.rule, loaded.options));
    return () => {
      this.#byLogType = indexByLogType([...compiled.values()].map((entry) => entry.compiled));
      this.#compiled = compiled;
    };
  }

  /**
   * One event: its reports, kept unless their minute has settled by the rule's clock; then the minutes the event's
   * watermark settles. Call before the event advances the watermark. Pushes silences (and reporter() errors) as
   * matches; true when a report was late.
   */
  process(event: TailscaleEvent, eventTimeMs: number, watermarks: Watermarks, out: AlertMatch[]): boolean {
    const rules = this.#byLogType.get(event.p_log_type);
    if (rules === undefined) return false;
    const tailnet = event.p_tailnet;
    let late = false;
    for (const rule of rules) {
      const reporters = reportersOf(rule, event, eventTimeMs);
      if (!Array.isArray(reporters)) {
        out.push(reporters as AlertMatch);
      } else if (reporters.length > 0) {
        const settledBefore = this.#settledBefore(watermarks.clock(tailnet, rule.logTypes));
        const minute = Math.floor(eventTimeMs / MS_PER_MINUTE);
        for (const reporter of reporters) if (!rule.reporters.report(tailnet, reporter, minute, settledBefore)) late = true;
      }
      const settledBefore = this.#settledBefore(watermarks.clockAfter(tailnet, rule.logTypes, event.p_log_type, eventTimeMs));
      if (rule.reporters.settles(tailnet, settledBefore)) this.#matches(rule, (found) => rule.reporters.settle(tailnet, settledBefore, found), out);
    }
    return late;
  }

  /** End of a replay: every report folds, and silences that have lasted by each tailnet's clock are found. */
  settleAll(watermarks: Watermarks, out: AlertMatch[]): void {
    for (const { compiled: rule } of this.#compiled.values()) {
      if (!rule.enabled) continue;
      this.#matches(rule, (found) => rule.reporters.settleAll((tailnet) => watermarks.clock(tailnet, rule.logTypes) / MS_PER_MINUTE, found), out);
    }
  }

  exportState(): SilenceStates {
    const states: SilenceStates = {};
    for (const [id, { compiled }] of this.#compiled) states[id] = compiled.reporters.exportState();
    return states;
  }

  /** Replaces every rule's reporters with the saved ones (rules missing from `states` start afresh). */
  importState(states: SilenceStates): void {
    for (const [id, { compiled }] of this.#compiled) compiled.reporters.importState(states[id]);
  }

  stats(): Record<string, SilenceRuleStats> {
    const stats: Record<string, SilenceRuleStats> = {};
    for (const [id, { compiled }] of this.#compiled) stats[id] = { ...compiled.reporters.counts, reporters: compiled.reporters.size };
    return stats;
  }

  /** Minutes before this one have settled by `clockMs`: their end is the allowed lateness behind it. */
  #settledBefore(clockMs: number): number {
    return Math.floor((clockMs - this.#latenessMs) / MS_PER_MINUTE);
  }

  #matches(rule: CompiledSilenceRule, settle: (found: FoundSilence[]) => void, out: AlertMatch[]): void {
    const found = this.#found;
    settle(found);
    for (const silence of found) {
      const match = silenceMatch(rule, silenceOf(rule, silence, this.#inventoryAt(silence.tailnet, silenceEndMs(rule, silence))));
      if (match !== null) out.push(match);
    }
    found.length = 0;
  }
}
