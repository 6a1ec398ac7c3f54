// What the aggregation machinery measures and reports: windows, contributions, crossings (semantics: docs/rules.md,
// "Aggregate rules"). The aggregate rule kind built on it is in engine/rules/aggregate/.
import type { EventOf, LogType } from '../schemas/log-types.ts';

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
