// A loaded aggregate rule flattened for the hot path: defaults applied, window validated, its Aggregator built.
import { Aggregator } from '../../aggregate/aggregator.ts';
import type { AggregateWindow, Crossing } from '../../aggregate/types.ts';
import { windowLayout } from '../../aggregate/window-layout.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import { calledFields, compileMetadata, staticTexts } from '../base/compiled-metadata.ts';
import type { CalledFields, CompiledMetadata, StaticTexts } from '../base/compiled-metadata.ts';
import { forOptions } from '../base/rule-metadata.ts';
import type { AnyAggregateRule } from './aggregate-rule-shape.ts';

type CrossingFunctions = Pick<AnyAggregateRule, 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations'>;

export type CompiledAggregateRule = CompiledMetadata &
  StaticTexts &
  CalledFields<CrossingFunctions, Crossing> & {
    aggregator: Aggregator;
  };

/** Throws RuleLoadError when the rule's window (after options) is invalid. */
export function compileAggregateRule(rule: AnyAggregateRule, options: Record<string, unknown>, allowedLatenessMinutes: number): CompiledAggregateRule {
  const layout = windowLayout(rule.id, windowFor(rule, options), allowedLatenessMinutes);
  const fns = calledFields<CrossingFunctions, Crossing>(rule);
  const { contributions } = calledFields<Pick<AnyAggregateRule, 'contributions'>, TailscaleEvent>(rule);
  return {
    ...compileMetadata(rule, options),
    ...staticTexts(rule),
    aggregator: new Aggregator(layout, contributions, options),
    title: fns.title,
    dedup: fns.dedup,
    dynamicSeverity: fns.dynamicSeverity,
    alertContext: fns.alertContext,
    destinations: fns.destinations,
  };
}

/** The rule's window, or what its window function gives for these options (typed by its author for them). */
export function windowFor(rule: AnyAggregateRule, options: Record<string, unknown>): AggregateWindow {
  return forOptions(rule.aggregate, options);
}
