// The aggregate rule contract: measures over event-time windows, grouped by a key, typed from its log types.
import type { AggregateWindow, Crossing, Emit } from '../../aggregate/types.ts';
import type { EventOf, LogType } from '../../schemas/log-types.ts';
import type { OptionsOf, OptionsSchema, RuleMetadata } from '../base/rule-metadata.ts';
import type { SeverityResult } from '../base/severity.ts';
import type { AggregateRuleTest } from './aggregate-rule-shape.ts';

export type CrossingFn<L extends LogType, O, R> = (crossing: Crossing<L>, options: O) => R;

export interface AggregateRuleSpec<L extends LogType, S extends OptionsSchema | undefined = undefined> extends RuleMetadata {
  logTypes: readonly L[];
  options?: S;
  description?: string;
  runbook?: string;
  reference?: string;
  aggregate: AggregateWindow | ((options: OptionsOf<S>) => AggregateWindow);
  /** Emits the event's contributions; runs once per event, so keep it lean. */
  contributions: (event: EventOf<L>, options: OptionsOf<S>, emit: Emit) => void;
  title: CrossingFn<L, OptionsOf<S>, string>;
  /** Default: the group key. */
  dedup?: CrossingFn<L, OptionsOf<S>, string>;
  dynamicSeverity?: CrossingFn<L, OptionsOf<S>, SeverityResult>;
  /** Merged over the standard context (group, measure, value, threshold, baseline, window, topContributors). */
  alertContext?: CrossingFn<L, OptionsOf<S>, Record<string, unknown>>;
  destinations?: string[] | CrossingFn<L, OptionsOf<S>, string[] | 'DEFAULT'>;
  tests?: AggregateRuleTest[];
}

export type AggregateRule<
  L extends LogType = LogType,
  S extends OptionsSchema | undefined = OptionsSchema | undefined,
> = AggregateRuleSpec<L, S> & { readonly kind: 'aggregate' };
