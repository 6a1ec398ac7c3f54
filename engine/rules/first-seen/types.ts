// The first-seen rule contract: a value (or tuple) seen for a group for the first time within a horizon.
import type { EventOf, LogType } from '../../schemas/log-types.ts';
import type { OptionsOf, OptionsSchema, RuleMetadata, SequenceRuleTest } from '../base/rule-metadata.ts';
import type { SeverityResult } from '../base/severity.ts';

/** How long values are remembered and how long a tailnet is learned before anything fires. */
export interface FirstSeenWindow {
  /** A value fires when its group has not seen it for this many days (event time). */
  horizonDays: number;
  /** Days after the rule's first value in a tailnet during which values are learned and nothing fires. */
  learningDays: number;
  /** Values remembered (all groups of all tailnets); past it, the least recently seen are forgotten (default 100 000). */
  maxValues?: number | undefined;
}

/** One observation of an event: a group and its value, a string or a tuple of strings. */
export interface FirstSeenValue {
  group: string;
  value: string | readonly string[];
}

/** What a rule's title/context functions get when a group sees a value first. */
export interface FirstSeen<L extends LogType = LogType> {
  tailnet: string;
  group: string;
  /** The value as a tuple (a single value is a one-element tuple). */
  value: readonly string[];
  /** RFC 3339 time of the group's previous sighting of the value, when it was longer ago than the horizon. */
  lastSeen: string | undefined;
  horizonDays: number;
  /** The event that showed the value. */
  event: EventOf<L>;
}

export type FirstSeenFn<L extends LogType, O, R> = (seen: FirstSeen<L>, options: O) => R;

export interface FirstSeenRuleSpec<L extends LogType, S extends OptionsSchema | undefined = undefined> extends RuleMetadata {
  logTypes: readonly L[];
  options?: S;
  description?: string;
  runbook?: string;
  reference?: string;
  firstSeen: FirstSeenWindow | ((options: OptionsOf<S>) => FirstSeenWindow);
  /** The event's group and value(s), or undefined; pure in event and options (runs once per event). */
  value: (event: EventOf<L>, options: OptionsOf<S>) => FirstSeenValue | readonly FirstSeenValue[] | undefined;
  title: FirstSeenFn<L, OptionsOf<S>, string>;
  /** Default: the group and the value. */
  dedup?: FirstSeenFn<L, OptionsOf<S>, string>;
  dynamicSeverity?: FirstSeenFn<L, OptionsOf<S>, SeverityResult>;
  /** Merged over the standard context (tailnet, group, value, lastSeen, horizonDays). */
  alertContext?: FirstSeenFn<L, OptionsOf<S>, Record<string, unknown>>;
  destinations?: string[] | FirstSeenFn<L, OptionsOf<S>, string[] | 'DEFAULT'>;
  /** A sequence of logs each (the learning period applies: override `learningDays` in a test's options). */
  tests?: SequenceRuleTest[];
}

export type FirstSeenRule<
  L extends LogType = LogType,
  S extends OptionsSchema | undefined = OptionsSchema | undefined,
> = FirstSeenRuleSpec<L, S> & { readonly kind: 'firstSeen' };
