// The requests `tailwatch run`'s main thread makes of its evaluation worker (evaluation-worker.ts), and the answers.
import type { Alert } from '../alerts/alert.ts';
import type { AlertEvent } from '../alerts/alert-events.ts';
import type { RuleMatchTime } from '../alerts/alert-match.ts';
import type { Signal } from '../alerts/signal.ts';
import type { RulesConfig } from '../config/rules-config.ts';
import type { InventoryChange } from '../inventory/store.ts';
import type { EvaluatorState } from '../rules/evaluator.ts';
import type { RuleInfo } from '../rules/rule-info.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { SuppressionEntry } from '../suppressions/suppression-entry.ts';

/** What the worker starts from (plain data: it loads the rules and opens the data directory itself). */
export interface EvaluationJob {
  dataDir: string;
  rules: RulesConfig;
  /** Rules the watchdog stopped: loaded (their log types and metadata stay known) but not evaluated. */
  stopped: string[];
  allowedLatenessMinutes: number;
  suppressions: SuppressionEntry[];
  /** The worker writes the index of the event it is evaluating here: an overrun names its event. */
  progress: SharedArrayBuffer;
}


export interface EvaluatedEvent {
  event: TailscaleEvent;
  eventTimeMs: number;
}

/**
 * What a batch of events did: alert revisions to deliver, signals to store, the events of alerts' matches and each
 * RULE match's time (the console's), and counts for the metrics.
 */
export interface BatchChanges {
  created: Alert[];
  signals: Signal[];
  events: AlertEvent[];
  matched: RuleMatchTime[];
  counts: MatchCounts;
}

/** Matches, rule errors and late matches by rule; suppressed matches by suppression; late events by source. */
export interface MatchCounts {
  matches: Record<string, number>;
  errors: Record<string, number>;
  late: Record<string, number>;
  suppressed: Record<string, number>;
  lateEvents: Record<string, number>;
}

type PolledChange = Omit<InventoryChange, 'tailnet' | 'learnedAt' | 'origin'>;

/**
 * A request; `partition` names the evaluator it is for (cluster mode evaluates several partitions, each with its own
 * state, in one worker; `tailwatch run` alone uses one).
 */
export type EvaluationRequest = { partition: string } & EvaluationOp;

export type EvaluationOp =
  | { op: 'process'; events: EvaluatedEvent[] }
  | { op: 'exportState' }
  | { op: 'restoreState'; state: EvaluatorState }
  | { op: 'reset' }
  | { op: 'drop' }
  | { op: 'setRules'; rules: RulesConfig; stopped: string[] }
  | { op: 'setSuppressions'; suppressions: SuppressionEntry[] }
  | { op: 'learnPolled'; tailnet: string; changes: readonly PolledChange[] }
  | { op: 'recordStopped'; ruleId: string; budgetMs: number; event: EvaluatedEvent };

export type EvaluationMessage =
  | { type: 'ready'; rules: RuleInfo[] }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'error'; id: number; code: string; message: string };
