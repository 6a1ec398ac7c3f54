// The versioned JSON body a webhook receives; fields are only ever added, never renamed (bump version otherwise).
import type { Alert, AlertTriageRecord } from '../alerts/alert.ts';

export const WEBHOOK_PAYLOAD_VERSION = 1;

export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  alertId: string;
  /** 1 for a new alert; a higher revision updates the alert with this id (same window, new count or events). */
  revision: number;
  type: Alert['type'];
  ruleId: string;
  tailnet: string;
  severity: Alert['severity'];
  title: string;
  dedup: string;
  eventCount: number;
  firstEventTime: string;
  lastEventTime: string;
  windowStart: string;
  windowEnd: string;
  /** True for an alert of matches that arrived after their window had closed. */
  late: boolean;
  logTypes: Alert['logTypes'];
  alertContext: Record<string, unknown>;
  description: string | null;
  runbook: string | null;
  reference: string | null;
  tags: string[];
  reports: Record<string, string[]>;
  /** For RULE_ERROR alerts: what the rule threw. */
  error: { name: string; message: string } | null;
  /** When the alert entered the outbox (RFC 3339); the same on every retry. */
  createdAt: string;
  /** The console's triage of the alert when this revision was enqueued (status, assignee, timeline); null if none. */
  triage: AlertTriageRecord | null;
}

export function webhookPayload(alert: Alert, enqueuedAt: number): WebhookPayload {
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    alertId: alert.alertId,
    revision: alert.revision,
    type: alert.type,
    ruleId: alert.ruleId,
    tailnet: alert.tailnet,
    severity: alert.severity,
    title: alert.title,
    dedup: alert.dedup,
    eventCount: alert.eventCount,
    firstEventTime: alert.firstEventTime,
    lastEventTime: alert.lastEventTime,
    windowStart: alert.windowStart,
    windowEnd: alert.windowEnd,
    late: alert.late === true,
    logTypes: alert.logTypes,
    alertContext: alert.alertContext,
    description: alert.description ?? null,
    runbook: alert.runbook ?? null,
    reference: alert.reference ?? null,
    tags: alert.tags,
    reports: alert.reports,
    error: alert.error ?? null,
    createdAt: new Date(enqueuedAt).toISOString(),
    triage: alert.triage ?? null,
  };
}
