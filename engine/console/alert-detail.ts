// One alert for its page: the latest revision, every revision's time and count, the destinations it was routed to
// with each delivery's state (pending with its attempts and last error, dead-lettered, or delivered), and its triage.
import type { Alert } from '../alerts/alert.ts';
import { listDeadLetters, listPending } from '../destinations/outbox-admin.ts';
import type { Database } from '../state/database.ts';
import { alertTriage, type AlertTriage } from './triage.ts';

export interface Delivery {
  destination: string;
  revision: number;
  state: 'pending' | 'dead letter' | 'delivered';
  attempts: number | null;
  error: string | null;
}

export interface AlertDetail {
  alert: Alert;
  revisions: { revision: number; eventCount: number; lastEventTime: string; recordedAt: string }[];
  deliveries: Delivery[];
  triage: AlertTriage;
}

export function alertDetail(db: Database, alertId: string, route: (alert: Alert) => readonly string[]): AlertDetail | undefined {
  const rows = db.prepare('SELECT alert, created_at FROM alerts WHERE alert_id = ? ORDER BY revision').all(alertId) as { alert: string; created_at: number }[];
  const revisions = rows.map((row) => ({ alert: JSON.parse(row.alert) as Alert, recordedAt: new Date(row.created_at).toISOString() }));
  const latest = revisions.at(-1)?.alert;
  if (latest === undefined) return undefined;
  const pending = listPending(db, { alertId });
  const dead = listDeadLetters(db, { alertId });
  const deliveries: Delivery[] = [];
  for (const { alert } of revisions) {
    for (const destination of route(alert)) {
      const waiting = pending.find((row) => row.destination === destination && row.revision === alert.revision);
      const failed = dead.find((row) => row.destination === destination && row.alert.revision === alert.revision);
      if (waiting !== undefined) deliveries.push({ destination, revision: alert.revision, state: 'pending', attempts: waiting.attempts, error: waiting.lastError });
      else if (failed !== undefined) deliveries.push({ destination, revision: alert.revision, state: 'dead letter', attempts: failed.attempts, error: failed.error });
      else deliveries.push({ destination, revision: alert.revision, state: 'delivered', attempts: null, error: null });
    }
  }
  return {
    alert: latest,
    revisions: revisions.map(({ alert, recordedAt }) => ({ revision: alert.revision, eventCount: alert.eventCount, lastEventTime: alert.lastEventTime, recordedAt })),
    deliveries,
    triage: alertTriage(db, alertId),
  };
}
