// The correlation rule contract: matches of other rules (signals or alerts) joined on typed entity keys over event
// time: a sequence (A then B [then C…] within T), an absence (A and no B within T), or distinct rules for one entity.
import type { EventOf, LogType } from '../../schemas/log-types.ts';
import type { OptionsOf, OptionsSchema, RuleMetadata, SequenceRuleTest } from '../base/rule-metadata.ts';
import type { Severity, SeverityResult } from '../base/severity.ts';

/** The entities a correlation joins on. `tailnet` needs no key function: it is the tailnet of the step's event. */
export const JOIN_KEYS = ['node', 'user', 'authKey', 'tailnet'] as const;
export type JoinKey = (typeof JOIN_KEYS)[number];

/** What a key function gets besides the event: the rule that matched and, for an aggregate rule, its group key. */
export interface StepInput {
  ruleId: string;
  /** An aggregate crossing's group (a node id, an address): use it for facts about the group, not the event. */
  group: string | undefined;
}

/** Returns the entity's id in this event, or undefined when the event names none (the match then joins nothing). */
export type KeyFn<L extends LogType> = (event: EventOf<L>, input: StepInput) => string | undefined;

/** One step: the matches of some rules, of one log type, with the keys they join on. */
export interface CorrelationStep<L extends LogType = LogType> {
  /** Rule ids or globs (`Tailscale.SSH.*`) whose matches form this step; correlation rules are never inputs. */
  rules: readonly string[];
  logType: L;
  /** Only matches of this severity or higher (after dynamicSeverity). */
  minSeverity?: Severity;
  /**
   * A sequence step after the first: its match comes at most this many minutes after the previous step's, within the
   * whole chain's `withinMinutes` (a long-lived key, then a node, then its activity soon after the node).
   */
  withinMinutesOfPrevious?: number;
  keys: { readonly [K in Exclude<JoinKey, 'tailnet'>]?: KeyFn<L> };
}

/** A step of any log type (what correlationStep returns). */
export type AnyCorrelationStep = { [L in LogType]: CorrelationStep<L> }[LogType];

export type Correlation =
  /** The steps in event-time order, all within `withinMinutes` of the first; `on` joins step i to step i + 1. */
  | { type: 'sequence'; steps: readonly AnyCorrelationStep[]; on: JoinKey | readonly JoinKey[]; withinMinutes: number }
  /** The first step, and no match of the second with the same key within `withinMinutes` after it. */
  | { type: 'absence'; steps: readonly [AnyCorrelationStep, AnyCorrelationStep]; on: JoinKey; withinMinutes: number }
  /** At least `atLeast` different rules matched for one entity within `withinMinutes`. */
  | { type: 'distinct'; steps: readonly AnyCorrelationStep[]; on: JoinKey; atLeast: number; withinMinutes: number };

export type CorrelationType = Correlation['type'];

/** One link of a chain: a step's match, with its rule, event time and keys. */
export interface ChainLink {
  step: number;
  ruleId: string;
  eventTime: string;
  logType: LogType;
  severity: Severity;
  title: string;
  keys: Partial<Record<JoinKey, string>>;
}

/** What a correlation found: what its alert functions get, and what its alert context carries as `chain`. */
export interface Chain {
  type: CorrelationType;
  tailnet: string;
  /** The entity the chain ends on (the last join of a sequence, the join of an absence or a distinct count). */
  key: { type: JoinKey; value: string };
  /** Sequence: one link per step; absence: the first step's match (the second never came); distinct: the latest match of each rule. */
  links: ChainLink[];
  withinMinutes: number;
}

export type ChainFn<O, R> = (chain: Chain, options: O) => R;

export interface CorrelationRuleSpec<S extends OptionsSchema | undefined = undefined> extends RuleMetadata {
  /** Every log type its steps read: it advances on the slowest of their watermarks. */
  logTypes: readonly LogType[];
  options?: S;
  description?: string;
  runbook?: string;
  reference?: string;
  correlate: Correlation | ((options: OptionsOf<S>) => Correlation);
  title: ChainFn<OptionsOf<S>, string>;
  /** Default: the key (`node:n123`). */
  dedup?: ChainFn<OptionsOf<S>, string>;
  dynamicSeverity?: ChainFn<OptionsOf<S>, SeverityResult>;
  /** Merged over the standard context (correlation, key, withinMinutes, chain). */
  alertContext?: ChainFn<OptionsOf<S>, Record<string, unknown>>;
  destinations?: string[] | ChainFn<OptionsOf<S>, string[] | 'DEFAULT'>;
  /** Each test's logs run through the correlation and the rules its steps name (from the loaded rule set). */
  tests?: SequenceRuleTest[];
}

export type CorrelationRule<S extends OptionsSchema | undefined = OptionsSchema | undefined> = CorrelationRuleSpec<S> & {
  readonly kind: 'correlation';
};
