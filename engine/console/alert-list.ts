// The console's alert list: each alert's latest revision with its triage status, newest first event first, filtered,
// in keyset pages (a cursor of the last row's first-event time and id), so page 1000 costs what page 1 does.
import type { Alert } from '../alerts/alert.ts';
import { SEVERITIES, type Severity } from '../rules/base/severity.ts';
import type { Database } from '../state/database.ts';
import { TRIAGE_STATUSES, type TriageStatus } from './triage.ts';

export interface AlertListFilter {
  severity?: Severity[] | undefined;
  rule?: string | undefined;
  status?: TriageStatus[] | undefined;
  tailnet?: string | undefined;
  tag?: string | undefined;
  /** Text (node name, id or address; user login) that appears in the alert's dedup string or context. */
  involving?: string[] | undefined;
  /** Words in the title (case-insensitive substring). */
  text?: string | undefined;
  /** First event at or after fromMs, before toMs. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

export interface AlertListItem {
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
  alerts: AlertListItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: string | null;
}

export const MAX_PAGE_SIZE = 500;

interface Where {
  sql: string;
  params: (string | number)[];
}

export function filterClauses(filter: AlertListFilter): Where {
  const clauses = ['NOT EXISTS (SELECT 1 FROM alerts b WHERE b.alert_id = a.alert_id AND b.revision > a.revision)'];
  const params: (string | number)[] = [];
  const where = (clause: string, ...values: (string | number)[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  const list = (values: readonly string[]) => values.map(() => '?').join(', ');
  if (filter.severity?.length) where(`a.severity IN (${list(filter.severity)})`, ...filter.severity);
  if (filter.rule !== undefined) where('a.rule_id = ?', filter.rule);
  if (filter.tailnet !== undefined) where('a.tailnet = ?', filter.tailnet);
  if (filter.status?.length) where(`coalesce(t.status, 'open') IN (${list(filter.status)})`, ...filter.status);
  if (filter.tag !== undefined) where("EXISTS (SELECT 1 FROM json_each(a.alert, '$.tags') WHERE value = ?)", filter.tag);
  for (const text of filter.involving ?? []) {
    where("instr(lower(json_extract(a.alert, '$.dedup') || ' ' || json_extract(a.alert, '$.alertContext')), lower(?)) > 0", text);
  }
  // Through the title index: the titles are read from it, not parsed out of each alert's JSON.
  if (filter.text !== undefined) where('a.rowid IN (SELECT rowid FROM alerts INDEXED BY alerts_title WHERE instr(lower(title), lower(?)) > 0)', filter.text);
  if (filter.fromMs !== undefined) where('a.first_event_ms >= ?', filter.fromMs);
  if (filter.toMs !== undefined) where('a.first_event_ms < ?', filter.toMs);
  return { sql: clauses.join(' AND '), params };
}

export function listAlerts(db: Database, filter: AlertListFilter, limit: number, cursor?: string): AlertPage {
  const { sql, params } = filterClauses(filter);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  // The first term bounds the index range; the second drops the ties already shown.
  const keyset = after === undefined ? '' : ' AND a.first_event_ms <= ? AND (a.first_event_ms < ? OR a.alert_id > ?)';
  const keyParams = after === undefined ? [] : [after.ms, after.ms, after.id];
  const rows = db
    .prepare(`SELECT a.alert, a.first_event_ms, coalesce(t.status, 'open') AS status, t.assignee FROM alerts a
      LEFT JOIN alert_triage t ON t.alert_id = a.alert_id
      WHERE ${sql}${keyset} ORDER BY a.first_event_ms DESC, a.alert_id LIMIT ?`)
    .all(...params, ...keyParams, limit + 1) as { alert: string; first_event_ms: number; status: TriageStatus; assignee: string | null }[];
  const alerts = rows.slice(0, limit).map((row) => listItem(JSON.parse(row.alert) as Alert, row.status, row.assignee));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  const lastAlert = alerts.at(-1);
  return { alerts, next: last === undefined || lastAlert === undefined ? null : encodeCursor(last.first_event_ms, lastAlert.alertId) };
}

/** Ids of every alert the filter selects (bulk actions), up to `limit`. */
export function matchingAlertIds(db: Database, filter: AlertListFilter, limit: number): string[] {
  const { sql, params } = filterClauses(filter);
  const rows = db
    .prepare(`SELECT a.alert_id FROM alerts a LEFT JOIN alert_triage t ON t.alert_id = a.alert_id WHERE ${sql}
      ORDER BY a.first_event_ms DESC, a.alert_id LIMIT ?`)
    .all(...params, limit) as { alert_id: string }[];
  return rows.map((row) => row.alert_id);
}

function listItem(alert: Alert, status: TriageStatus, assignee: string | null): AlertListItem {
  return {
    alertId: alert.alertId,
    revision: alert.revision,
    ruleId: alert.ruleId,
    severity: alert.severity,
    tailnet: alert.tailnet,
    title: alert.title,
    eventCount: alert.eventCount,
    firstEventTime: alert.firstEventTime,
    lastEventTime: alert.lastEventTime,
    tags: alert.tags,
    status,
    assignee,
  };
}

function encodeCursor(ms: number, id: string): string {
  return Buffer.from(JSON.stringify([ms, id])).toString('base64url');
}

function decodeCursor(cursor: string): { ms: number; id: string } | undefined {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    return typeof ms === 'number' && typeof id === 'string' ? { ms, id } : undefined;
  } catch {
    return undefined;
  }
}

/** Query-string values → a filter; an unknown severity or status is an error naming it. */
export function parseAlertFilter(query: URLSearchParams): AlertListFilter {
  const one = (name: string) => {
    const value = query.get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const many = <T extends string>(name: string, allowed: readonly T[]): T[] | undefined => {
    const values = query.getAll(name).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
    const unknown = values.find((value) => !(allowed as readonly string[]).includes(value));
    if (unknown !== undefined) throw new RangeError(`${name} "${unknown}" is not one of ${allowed.join(', ')}`);
    return values.length === 0 ? undefined : (values as T[]);
  };
  const time = (name: string) => {
    const text = one(name);
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new RangeError(`${name} "${text}" is not a date or time (use ISO 8601, e.g. 2026-08-10T09:00:00Z)`);
    return ms;
  };
  const involving = [one('node'), one('user')].filter((value) => value !== undefined);
  return {
    severity: many('severity', SEVERITIES),
    rule: one('rule'),
    status: many('status', TRIAGE_STATUSES),
    tailnet: one('tailnet'),
    tag: one('tag'),
    involving: involving.length === 0 ? undefined : involving,
    text: one('q'),
    fromMs: time('from'),
    toMs: time('to'),
  };
}
