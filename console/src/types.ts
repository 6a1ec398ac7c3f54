// The JSON API's shapes as the pages read them (engine/console/*: alert-list, alert-detail, rule-stats, traffic-query).
export type Severity = 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type TriageStatus = 'open' | 'acknowledged' | 'resolved' | 'false_positive';
export const STATUSES: TriageStatus[] = ['open', 'acknowledged', 'resolved', 'false_positive'];
export const SEVERITIES: Severity[] = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const STATUS_LABELS: Record<TriageStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', false_positive: 'False positive' };

export interface AlertItem {
  alertId: string;
  revision: number;
  ruleId: string;
  severity: Severity;
  tailnet: string;
  title: string;
  eventCount: number;
  firstEventTime: string;
  lastEventTime: string;
  tags: string[];
  status: TriageStatus;
  assignee: string | null;
}

export interface AlertPage {
  alerts: AlertItem[];
  next: string | null;
}

export interface TimelineEntry {
  at: string;
  who: string;
  change: 'status' | 'assignee' | 'note';
  from: string | null;
  to: string | null;
  note: string | null;
}

export interface Triage {
  status: TriageStatus;
  assignee: string | null;
  timeline: TimelineEntry[];
}

export interface AlertDetail {
  alert: AlertItem & {
    type: string;
    dedup: string;
    windowStart: string;
    windowEnd: string;
    logTypes: string[];
    alertContext: Record<string, unknown>;
    description?: string;
    runbook?: string;
    reference?: string;
    reports: Record<string, string[]>;
    error?: { name: string; message: string };
  };
  revisions: { revision: number; eventCount: number; lastEventTime: string; recordedAt: string }[];
  deliveries: { destination: string; revision: number; state: string; attempts: number | null; error: string | null }[];
  triage: Triage;
}

export interface RuleRow {
  id: string;
  displayName: string | null;
  severity: Severity;
  enabled: boolean;
  logTypes: string[];
  tags: string[];
  reports: Record<string, string[]>;
  options: Record<string, unknown>;
  file: string;
  alertsPerDay: number[];
  matchesPerDay: number[];
  lastError: { at: string; message: string } | null;
}

export interface Talker {
  name: string;
  bytes: number;
  packets: number;
}

export interface TrafficReport {
  from: string | null;
  to: string | null;
  tailnets: string[];
  series: { tailnet: string; kind: string; minutes: number[]; bytes: number[]; packets: number[] }[];
  topSources: Talker[];
  topDestinations: Talker[];
  topPairs: Talker[];
  edges: { src: string; dst: string; bytes: number; packets: number }[];
}

export interface HealthReport {
  readiness: { ready: boolean; checks: { name: string; ok: boolean; detail?: string }[] };
  counters: Record<string, { labels: Record<string, string | number>; value: number }[]>;
  destinations: { destination: string; pending: number; deadLetters: number }[];
  quarantine: { receivedAt: string; source: string; line: number; offset: number; reason: string; message: string; raw: string }[];
}
