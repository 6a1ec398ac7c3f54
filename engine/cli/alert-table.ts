// The readable form of replay alerts: one row per alert, columns padded, the title last so it may run long.
import type { Alert } from '../alerts/alert.ts';

const COLUMNS = ['SEVERITY', 'EVENTS', 'FIRST EVENT', 'RULE', 'TITLE'] as const;

export function alertTableHeader(): string {
  return formatRow([...COLUMNS]);
}

export function alertTableRow(alert: Alert): string {
  const rule = alert.type === 'RULE_ERROR' ? `${alert.ruleId} (error)` : alert.suppressed !== undefined ? `${alert.ruleId} (suppressed)` : alert.ruleId;
  return formatRow([alert.severity, String(alert.eventCount), alert.firstEventTime, rule, alert.title]);
}

function formatRow([severity, events, first, rule, title]: string[]): string {
  return `${(severity ?? '').padEnd(9)}${(events ?? '').padStart(7)}  ${(first ?? '').padEnd(25)}${(rule ?? '').padEnd(48)} ${title ?? ''}`;
}
