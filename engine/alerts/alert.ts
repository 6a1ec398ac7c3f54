// The alert record every later stage (route, destinations, replay output) consumes.
import type { LogType } from '../schemas/log-types.ts';
import type { Severity } from '../rules/base/severity.ts';

export type AlertType = 'RULE' | 'RULE_ERROR';

/** Which suppression silenced an alert, why, whose, and until when (null: permanent). */
export interface SuppressionInfo {
  id: string;
  reason: string;
  owner: string;
  expires: string | null;
}

export interface Alert {
  /** Deterministic: the same input gives the same id in replay and in live evaluation; never shared by two alerts. */
  alertId: string;
  /** 1 when the alert is created; each later change (count, times, representative match) is a new revision. */
  revision: number;
  type: AlertType;
  ruleId: string;
  /** The tailnet of the events that formed the alert ("default" when the source names none). */
  tailnet: string;
  severity: Severity;
  title: string;
  dedup: string;
  eventCount: number;
  /** RFC 3339 UTC event times of the first and last matching event in the alert's window. */
  firstEventTime: string;
  lastEventTime: string;
  /** The alert's dedup window: [windowStart, windowEnd), aligned to the dedup period (docs/rules.md, "Alert windows"). */
  windowStart: string;
  windowEnd: string;
  /** Set when the alert holds matches that arrived after their window had closed (see docs/rules.md, "Late events"). */
  late?: true;
  logTypes: LogType[];
  alertContext: Record<string, unknown>;
  description?: string;
  runbook?: string;
  reference?: string;
  tags: string[];
  reports: Record<string, string[]>;
  /** Set when the rule chose destinations itself (overrides routing; [] means nowhere). */
  destinations?: string[];
  /**
   * Set when a suppression silenced the matches: the alert is kept in the history and delivered nowhere. Suppressed
   * matches form windows of their own, so they never count towards an unsuppressed alert (docs/suppressions.md).
   */
  suppressed?: SuppressionInfo;
  /** For RULE_ERROR alerts: what the rule threw. */
  error?: { name: string; message: string };
}
