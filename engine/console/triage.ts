// Triage: each alert's status (open → acknowledged → resolved or false positive; reopened back to open), assignee and
// notes. Every change is a row of alert_triage_log with who and when: the alert page's timeline, and what later
// deliveries of the alert carry (alertTriage).
import type { Alert, AlertTriageRecord } from '../alerts/alert.ts';
import { transaction, type Database } from '../state/database.ts';

export const TRIAGE_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number] & AlertTriageRecord['status'];

/** Where each status may go next. */
const NEXT: Record<TriageStatus, readonly TriageStatus[]> = {
  open: ['acknowledged', 'resolved', 'false_positive'],
  acknowledged: ['open', 'resolved', 'false_positive'],
  resolved: ['open'],
  false_positive: ['open'],
};

export interface TriageChange {
  status?: TriageStatus | undefined;
  /** null clears the assignee. */
  assignee?: string | null | undefined;
  note?: string | undefined;
}

export type TimelineEntry = AlertTriageRecord['timeline'][number];
export type AlertTriage = AlertTriageRecord;

export class TriageError extends Error {}

const MAX_NOTE = 4_000;

export function alertTriage(db: Database, alertId: string): AlertTriage {
  const current = db.prepare('SELECT status, assignee FROM alert_triage WHERE alert_id = ?').get(alertId) as
    | { status: TriageStatus; assignee: string | null }
    | undefined;
  const rows = db
    .prepare('SELECT at, who, change, old_value, new_value, note FROM alert_triage_log WHERE alert_id = ? ORDER BY id')
    .all(alertId) as { at: number; who: string; change: TimelineEntry['change']; old_value: string | null; new_value: string | null; note: string | null }[];
  return {
    status: current?.status ?? 'open',
    assignee: current?.assignee ?? null,
    timeline: rows.map((row) => ({ at: new Date(row.at).toISOString(), who: row.who, change: row.change, from: row.old_value, to: row.new_value, note: row.note })),
  };
}

/** Applies a change to one alert; throws TriageError for an unknown alert or a transition that is not allowed. */
export function changeTriage(db: Database, alertId: string, change: TriageChange, who: string, nowMs: number): AlertTriage {
  transaction(db, () => applyChange(db, alertId, change, who, nowMs));
  return alertTriage(db, alertId);
}

/** The same change to many alerts in one transaction; alerts it does not apply to (e.g. already resolved) are skipped. */
export function changeTriageMany(db: Database, alertIds: readonly string[], change: TriageChange, who: string, nowMs: number): { changed: number; skipped: number } {
  let changed = 0;
  transaction(db, () => {
    for (const alertId of alertIds) {
      try {
        applyChange(db, alertId, change, who, nowMs);
        changed += 1;
      } catch (error) {
        if (!(error instanceof TriageError)) throw error;
      }
    }
  });
  return { changed, skipped: alertIds.length - changed };
}

function applyChange(db: Database, alertId: string, change: TriageChange, who: string, nowMs: number): void {
  if (db.prepare('SELECT 1 FROM alerts WHERE alert_id = ? LIMIT 1').get(alertId) === undefined) throw new TriageError(`no alert ${alertId}`);
  const before = alertTriage(db, alertId);
  const log = db.prepare('INSERT INTO alert_triage_log (alert_id, at, who, change, old_value, new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let { status, assignee } = before;
  if (change.status !== undefined && change.status !== status) {
    if (!NEXT[status].includes(change.status)) throw new TriageError(`an alert that is ${status} cannot become ${change.status}`);
    log.run(alertId, nowMs, who, 'status', status, change.status, null);
    status = change.status;
  }
  const nextAssignee = change.assignee === undefined ? assignee : change.assignee?.trim() || null;
  if (nextAssignee !== assignee) {
    log.run(alertId, nowMs, who, 'assignee', assignee, nextAssignee, null);
    assignee = nextAssignee;
  }
  const note = change.note?.trim();
  if (note) log.run(alertId, nowMs, who, 'note', null, null, note.slice(0, MAX_NOTE));
  db.prepare(`INSERT INTO alert_triage (alert_id, status, assignee, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (alert_id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by`).run(alertId, status, assignee, nowMs, who);
}

/** The alert as a delivery should carry it: with its triage when it has been triaged. */
export function withTriage(db: Database, alert: Alert): Alert {
  if (db.prepare('SELECT 1 FROM alert_triage WHERE alert_id = ?').get(alert.alertId) === undefined) return alert;
  return { ...alert, triage: alertTriage(db, alert.alertId) };
}

/** Drops the triage of alerts the history no longer holds (call after pruning the ledger). */
export function pruneTriage(db: Database): void {
  db.exec(`DELETE FROM alert_triage WHERE alert_id NOT IN (SELECT alert_id FROM alerts);
    DELETE FROM alert_triage_log WHERE alert_id NOT IN (SELECT alert_id FROM alerts)`);
}
