// A signal: a match of a rule marked `signal: true`, recorded with its event but raising no alert by itself
// (Panther's CreateAlert: false). Correlation rules read them; `tailwatch signals` and `replay --signals` show them.
import { createHash } from 'node:crypto';
import type { LogType, TailscaleEvent } from '../schemas/log-types.ts';
import type { Severity } from '../rules/base/severity.ts';
import type { AlertMatch } from './alert-match.ts';

export interface Signal {
  /** Deterministic: the same record matched by the same rule gives the same id in replay, live and after a restart. */
  signalId: string;
  ruleId: string;
  tailnet: string;
  severity: Severity;
  title: string;
  dedup: string;
  /** RFC 3339 event time of the match. */
  eventTime: string;
  logTypes: LogType[];
  alertContext: Record<string, unknown>;
  tags: string[];
  /** The event the rule matched (for an aggregate rule, the event whose contributions made its window cross). */
  event: TailscaleEvent;
}

export function signalOf(match: AlertMatch, event: TailscaleEvent): Signal {
  const { alert } = match;
  const eventTime = new Date(match.eventTimeMs).toISOString();
  // Not p_row_id or p_parse_time: they differ between a replay and live evaluation of the same record.
  const signalId = createHash('sha256')
    .update(`${alert.ruleId}\0${match.tailnet}\0${eventTime}\0${alert.dedup}\0${JSON.stringify(event.event)}`)
    .digest('hex')
    .slice(0, 32);
  return {
    signalId,
    ruleId: alert.ruleId,
    tailnet: match.tailnet,
    severity: alert.severity,
    title: alert.title,
    dedup: alert.dedup,
    eventTime,
    logTypes: alert.logTypes,
    alertContext: alert.alertContext,
    tags: alert.tags,
    event,
  };
}
