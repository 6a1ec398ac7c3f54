// The JSON API's shapes as the pages read them: the server's own types (type-only imports, erased by the build;
// the values below are repeated because the server modules cannot run in a browser).
import type { Severity } from '../../engine/rules/base/severity.ts';
import type { TriageStatus } from '../../engine/console/triage.ts';

export type { AlertDetail } from '../../engine/console/alert-detail.ts';
export type { AlertPage, AlertListItem as AlertItem } from '../../engine/console/alert-list.ts';
export type { HealthReport } from '../../engine/console/health-report.ts';
export type { RuleRow } from '../../engine/console/rule-stats.ts';
export type { Talker, TrafficReport } from '../../engine/console/traffic-query.ts';
export type { AlertTriage as Triage, TriageStatus } from '../../engine/console/triage.ts';

export const STATUSES: TriageStatus[] = ['open', 'acknowledged', 'resolved', 'false_positive'];
export const SEVERITIES: Severity[] = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const STATUS_LABELS: Record<TriageStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', false_positive: 'False positive' };
