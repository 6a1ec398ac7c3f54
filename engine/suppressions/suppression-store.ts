// Ad hoc suppressions in the state database: `tailwatch suppress <alertId>` silences that alert's rule, tailnet and
// dedup key from its window's start until the expiry (event time); `tailwatch run` reads them on every reload tick.
import { StateError } from '../errors.ts';
import type { Alert } from '../alerts/alert.ts';
import type { Database } from '../state/database.ts';
import { msToRfc3339 } from '../schemas/time.ts';
import type { Suppression } from './suppression.ts';

export interface AdHocSuppression {
  id: number;
  alertId: string;
  ruleId: string;
  tailnet: string;
  dedup: string;
  reason: string;
  createdBy: string;
  createdAtMs: number;
  fromMs: number;
  expiresAtMs: number;
}

interface Row {
  id: number;
  alert_id: string;
  rule_id: string;
  tailnet: string;
  dedup: string;
  reason: string;
  created_by: string;
  created_at: number;
  from_ms: number;
  expires_at: number;
}

/** Stores a suppression of the alert's key, from its window's start until `expiresAtMs`. */
export function addAdHocSuppression(db: Database, alert: Alert, given: { reason: string; createdBy: string; nowMs: number; expiresAtMs: number }): AdHocSuppression {
  const fromMs = Date.parse(alert.windowStart);
  const { lastInsertRowid } = db
    .prepare('INSERT INTO suppressions (alert_id, rule_id, tailnet, dedup, reason, created_by, created_at, from_ms, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(alert.alertId, alert.ruleId, alert.tailnet, alert.dedup, given.reason, given.createdBy, given.nowMs, fromMs, given.expiresAtMs);
  return { id: Number(lastInsertRowid), alertId: alert.alertId, ruleId: alert.ruleId, tailnet: alert.tailnet, dedup: alert.dedup, reason: given.reason, createdBy: given.createdBy, createdAtMs: given.nowMs, fromMs, expiresAtMs: given.expiresAtMs };
}

export function listAdHocSuppressions(db: Database): AdHocSuppression[] {
  const rows = db.prepare('SELECT * FROM suppressions ORDER BY id').all() as unknown as Row[];
  return rows.map((row) => ({
    id: row.id,
    alertId: row.alert_id,
    ruleId: row.rule_id,
    tailnet: row.tailnet,
    dedup: row.dedup,
    reason: row.reason,
    createdBy: row.created_by,
    createdAtMs: row.created_at,
    fromMs: row.from_ms,
    expiresAtMs: row.expires_at,
  }));
}

/** The newest id stored: what the running evaluator compares to see whether there are new ones. */
export function lastAdHocId(db: Database): number {
  return Number((db.prepare('SELECT coalesce(max(id), 0) AS id FROM suppressions').get() as { id: number }).id);
}

/** The latest revision of an alert in the history, or a StateError naming it. */
export function historyAlert(db: Database, alertId: string): Alert {
  const row = db.prepare('SELECT alert FROM alerts WHERE alert_id = ? ORDER BY revision DESC LIMIT 1').get(alertId) as { alert: string } | undefined;
  if (row === undefined) throw new StateError(`no alert ${alertId} in the alert history (tailwatch alerts list shows them)`);
  return JSON.parse(row.alert) as Alert;
}

export function adHocSuppression(stored: AdHocSuppression): Suppression {
  return {
    info: { id: `adhoc-${stored.id}`, reason: stored.reason, owner: stored.createdBy, expires: msToRfc3339(stored.expiresAtMs) },
    fromMs: stored.fromMs,
    untilMs: stored.expiresAtMs,
    applies: (match) => match.tailnet === stored.tailnet && match.alert.ruleId === stored.ruleId && match.alert.dedup === stored.dedup,
  };
}
