// The aggregate rule contract: measures over event-time windows, grouped by a key (semantics: docs/rules.md, "Aggregate rules").
import type { EventOf, LogType } from '../schemas/log-types.ts';
import type { OptionsOf, OptionsSchema, RuleMetadata } from '../rules/types.ts';
import type { Severity, SeverityResult } from '../rules/severity.ts';

export type Measure = 'sum' | 'count' | 'distinct';

/** How a rule's groups are measured; may depend on the rule's options (so deployments can tune it). */
export interface AggregateWindow {
  /** sum: total of the contributions' amounts; count: number of contributions; distinct: number of distinct items. */
  measure: Measure;
  /** Length of the sliding window, in one-minute buckets (the window slides by one minute). */
  windowMinutes: number;
  /** Fire when the window's measure reaches this value; with a baseline it is the floor. */
  atLeast: number;
  /** Also require the measure to exceed `factor` × the group's trailing average for the same window length over `hours`. */
  baseline?: { factor: number; hours: number };
  /** Live groups kept (at the cap, the tenth least recently used is evicted at once; default 100 000). */
  maxGroups?: number;
  /** Top contributors reported in the alert (default 5). */
  topContributors?: number;
}

/**
 * Receives one contribution: `amount` adds to a sum (count and distinct ignore it), `item` (default: contributor)
 * is what a distinct measure counts, `contributor` is what the alert's top-contributor list ranks: by amount for
 * sums, by number of contributions otherwise.
 */
export type Emit = (group: string, amount: number, contributor: string, item?: string) => void;

export interface TopContributor {
  contributor: string;
  /** Amount (sum) or contributions (count, distinct) in the window; may include up to one window before it. */
  amount: number;
}

/** What a rule's title/context functions get when a group's measure crosses its threshold. */
export interface Crossing<L extends LogType = LogType> {
  /** The tailnet of the group's events: groups of different tailnets never mix. */
  tailnet: string;
  group: string;
  measure: Measure;
  value: number;
  /** The threshold that was crossed: atLeast, or factor × baseline when that is higher. */
  threshold: number;
  /** The group's trailing average per window (only for rules with a baseline). */
  baseline?: number;
  windowMinutes: number;
  /** RFC 3339: first minute of the window and the end of its last minute (exclusive). */
  windowStart: string;
  windowEnd: string;
  topContributors: TopContributor[];
  /**
   * An event whose contributions made this window cross: the one that arrived at the crossing. Use it for facts about
   * the group itself (its node's name, the actor's login): which event it is depends on arrival order.
   */
  event: EventOf<L>;
}

export type CrossingFn<L extends LogType, O, R> = (crossing: Crossing<L>, options: O) => R;

/** An inline test: a sequence of raw records (any delivery shape) and whether an alert is expected. */
export interface AggregateRuleTest {
  name: string;
  expected: boolean;
  logs: Record<string, unknown>[];
  /** Assertions on the first alert (only checked when expected is true). */
  title?: string;
  dedup?: string;
  severity?: Severity;
  alertContext?: Record<string, unknown>;
  /** Exact number of alerts the sequence creates (default: at least one when expected, none otherwise). */
  alerts?: number;
  options?: Record<string, unknown>;
}

export interface AggregateRuleSpec<L extends LogType, S extends OptionsSchema | undefined = undefined>
  extends Omit<RuleMetadata, 'tests'> {
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

/** Any aggregate rule, whatever its log types and options: what the loader and evaluator accept. */
export type AnyAggregateRule = Omit<RuleMetadata, 'tests'> & {
  readonly kind: 'aggregate';
  logTypes: readonly LogType[];
  options?: OptionsSchema | undefined;
  description?: string;
  runbook?: string;
  reference?: string;
  aggregate: AggregateWindow | ((options: never) => AggregateWindow);
  contributions: (event: never, options: never, emit: Emit) => void;
  title: LooseCrossingFn<string>;
  dedup?: LooseCrossingFn<string>;
  dynamicSeverity?: LooseCrossingFn<SeverityResult>;
  alertContext?: LooseCrossingFn<Record<string, unknown>>;
  destinations?: string[] | LooseCrossingFn<string[] | 'DEFAULT'>;
  tests?: AggregateRuleTest[];
};

type LooseCrossingFn<R> = (crossing: never, options: never) => R;
