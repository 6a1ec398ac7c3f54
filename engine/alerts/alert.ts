// The alert record every later stage (route, destinations, replay output) consumes.
import type { LogType } from '../schemas/log-types.ts';
import type { Severity } from '../rules/severity.ts';

export type AlertType = 'RULE' | 'RULE_ERROR';

export interface Alert {
  /** Deterministic: the same input gives the same id in replay and in live evaluation. */
  alertId: string;
  type: AlertType;
  ruleId: string;
  severity: Severity;
  title: string;
  dedup: string;
  eventCount: number;
  /** RFC 3339 UTC event times of the first and last matching event in the alert's window. */
  firstEventTime: string;
  lastEventTime: string;
  logTypes: LogType[];
  alertContext: Record<string, unknown>;
  description?: string;
  runbook?: string;
  reference?: string;
  tags: string[];
  reports: Record<string, string[]>;
  /** Set when the rule chose destinations itself (overrides routing; [] means nowhere). */
  destinations?: string[];
  /** For RULE_ERROR alerts: what the rule threw. */
  error?: { name: string; message: string };
}
