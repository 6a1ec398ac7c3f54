// What rules hand the alert tracker: one match (a per-event rule's matching event, or an aggregate crossing).
import type { Alert } from './alert.ts';
import type { AlertEvent } from './alert-events.ts';
import type { Signal } from './signal.ts';

/** What an alert takes from its representative match (the rest is filled in by the window). */
export type AlertFields = Omit<
  Alert,
  'alertId' | 'revision' | 'tailnet' | 'eventCount' | 'firstEventTime' | 'lastEventTime' | 'windowStart' | 'windowEnd' | 'late'
>;

export interface AlertMatch {
  /** Event time of the match, ms since the epoch. */
  eventTimeMs: number;
  tailnet: string;
  /** The rule's log types: its windows close on the slowest of their watermarks in the tailnet. */
  ruleLogTypes: readonly string[];
  dedupPeriodMinutes: number;
  /** Matches within one dedup period that raise the alert (RULE_ERROR matches use 1). */
  threshold: number;
  /** An aggregate crossing's group key (correlation steps may join on it). */
  group?: string;
  /** Orders matches at the same event time for the representative; default: the fields' JSON. */
  tieKey?: string;
  /** Watermark time past the window's end + lateness until its matches' fields are final (aggregate crossings). */
  settleMs?: number;
  /** type, ruleId and dedup (with the tailnet) form the window key. */
  alert: AlertFields;
}

/**
 * Alert revisions to deliver now (new alerts, and later revisions of emitted ones), final forms of closed windows,
 * the signals recorded (matches of signal rules, which raise no alert), the events of existing alerts' matches
 * (bounded, alert-events.ts), and every RULE match's rule and event time (the console's matches per day).
 */
export interface AlertChanges {
  created: Alert[];
  revised: Alert[];
  closed: Alert[];
  signals: Signal[];
  events: AlertEvent[];
  matched: RuleMatchTime[];
}

export interface RuleMatchTime {
  ruleId: string;
  eventTimeMs: number;
}

export function noChanges(): AlertChanges {
  return { created: [], revised: [], closed: [], signals: [], events: [], matched: [] };
}
