// The silence rule contract: an entity that normally reports in a log stream (a node in flow logs) reports nothing
// for a while, measured on the stream's event time (docs/rules.md, "Silence rules").
import type { Inventory } from '../../inventory/inventory.ts';
import type { EventOf, LogType } from '../../schemas/log-types.ts';
import type { OptionsOf, OptionsSchema, RuleMetadata, SequenceRuleTest } from '../base/rule-metadata.ts';
import type { SeverityResult } from '../base/severity.ts';

/** How long a silence is, and what "normally reports" means: reported in `minReportingWindows` of the last `windows`. */
export interface SilenceWindow {
  /** Whole minutes of event time without a report, counted from the end of the last minute it reported in. */
  silenceMinutes: number;
  /** The length of one baseline window (aligned to the epoch: 60 is the clock hour). */
  windowMinutes: number;
  /** Baseline windows looked at, ending with the window of the last report. */
  windows: number;
  /** Of those, the windows it must have reported in for its silence to count. */
  minReportingWindows: number;
  /** Reporters remembered per rule (all tailnets); past it, each tailnet's least recently reporting goes (default 100 000). */
  maxReporters?: number | undefined;
}

/** What a silence rule's functions get when a reporter that normally reports has been silent for `silenceMinutes`. */
export interface Silence {
  tailnet: string;
  /** What reporter() returned for its events (a node id). */
  reporter: string;
  /** The streams it stopped reporting in (the rule's log types). */
  logTypes: readonly LogType[];
  /** RFC 3339: the end of the last minute it reported in. */
  silentSince: string;
  /** RFC 3339: silentSince + silenceMinutes, the match's event time. */
  silentAt: string;
  silenceMinutes: number;
  /** Baseline windows it reported in, of `windows`. */
  reportingWindows: number;
  windows: number;
  windowMinutes: number;
  /** The tailnet inventory as of `silentAt` (undefined when the evaluator keeps none). */
  inventory: Inventory | undefined;
}

export type SilenceFn<O, R> = (silence: Silence, options: O) => R;

export interface SilenceRuleSpec<L extends LogType, S extends OptionsSchema | undefined = undefined> extends RuleMetadata {
  /** The stream(s) whose reports count; the rule is clocked by the slowest of their watermarks in the tailnet. */
  logTypes: readonly L[];
  options?: S;
  description?: string;
  runbook?: string;
  reference?: string;
  silence: SilenceWindow | ((options: OptionsOf<S>) => SilenceWindow);
  /** Who this event shows reporting (a node id, several, or undefined); pure in event and options. */
  reporter: (event: EventOf<L>, options: OptionsOf<S>) => string | readonly string[] | undefined;
  /** Whether this silence raises an alert (say, the inventory has the node online); pure. Default: every silence. */
  rule?: SilenceFn<OptionsOf<S>, boolean>;
  title: SilenceFn<OptionsOf<S>, string>;
  /** Default: the reporter. */
  dedup?: SilenceFn<OptionsOf<S>, string>;
  dynamicSeverity?: SilenceFn<OptionsOf<S>, SeverityResult>;
  /** Merged over the standard context (tailnet, reporter, silentSince, silenceMinutes, reportingWindows, windows, windowMinutes). */
  alertContext?: SilenceFn<OptionsOf<S>, Record<string, unknown>>;
  destinations?: string[] | SilenceFn<OptionsOf<S>, string[] | 'DEFAULT'>;
  /** A sequence of logs each: the baseline must build up within them (shrink the windows in a test's options). */
  tests?: SequenceRuleTest[];
}

export type SilenceRule<
  L extends LogType = LogType,
  S extends OptionsSchema | undefined = OptionsSchema | undefined,
> = SilenceRuleSpec<L, S> & { readonly kind: 'silence' };
