// The per-event rule contract: what a detection module default-exports (see ARCHITECTURE §3), typed from its log types.
import type { WithInventory } from '../../inventory/inventory.ts';
import type { EventOf, LogType } from '../../schemas/log-types.ts';
import type { OptionsOf, OptionsSchema, RuleMetadata } from '../base/rule-metadata.ts';
import type { SeverityResult } from '../base/severity.ts';
import type { RuleTest } from './event-rule-shape.ts';

/** A rule-level function: gets the typed event (with `event.inventory`, undefined without one) and the resolved options. */
export type RuleFn<L extends LogType, O, R> = (event: EventOf<L> & WithInventory, options: O) => R;
export type TextOrFn<L extends LogType, O> = string | RuleFn<L, O, string>;

export interface RuleSpec<L extends LogType, S extends OptionsSchema | undefined = undefined> extends RuleMetadata {
  logTypes: readonly L[];
  options?: S;
  tests?: RuleTest[];
  description?: TextOrFn<L, OptionsOf<S>>;
  runbook?: TextOrFn<L, OptionsOf<S>>;
  reference?: TextOrFn<L, OptionsOf<S>>;
  /** Only events for which include() is true (and exclude() is false) reach rule(). */
  include?: RuleFn<L, OptionsOf<S>, boolean>;
  exclude?: RuleFn<L, OptionsOf<S>, boolean>;
  rule: RuleFn<L, OptionsOf<S>, boolean>;
  title?: RuleFn<L, OptionsOf<S>, string>;
  dedup?: RuleFn<L, OptionsOf<S>, string>;
  dynamicSeverity?: RuleFn<L, OptionsOf<S>, SeverityResult>;
  alertContext?: RuleFn<L, OptionsOf<S>, Record<string, unknown>>;
  /** Destination names that override routing; [] delivers nowhere; 'DEFAULT' (from the function) uses routing. */
  destinations?: string[] | RuleFn<L, OptionsOf<S>, string[] | 'DEFAULT'>;
}

/** What defineRule returns: the spec, tagged so the loader can tell a rule module from anything else. */
export type Rule<L extends LogType = LogType, S extends OptionsSchema | undefined = OptionsSchema | undefined> = RuleSpec<L, S> & {
  readonly kind: 'rule';
};
