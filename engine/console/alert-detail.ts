// One alert for its page: the latest revision, every revision's time and count, the events that formed it (the first
// and latest few), the inventory of the nodes and users it names, the destinations it was routed to with each
// delivery's state (pending with its attempts and last error, dead-lettered, or delivered), and its triage.
import type { Alert } from '../alerts/alert.ts';
import { FIRST_EVENTS, LATEST_EVENTS } from '../alerts/alert-events.ts';
import { listDeadLetters, listPending } from '../destinations/outbox-admin.ts';
import type { InventoryReader } from '../inventory/reader.ts';
import { storedAlertEvents, type StoredAlertEvent } from '../pipeline/live/alert-event-store.ts';
import type { Database } from '../state/database.ts';
import { involvedInventory, type InvolvedRecord } from './alert-inventory.ts';
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
  /** The first `kept.first` and the latest `kept.latest` of the alert's matched events, by `ordinal` (1 = first). */
  events: StoredAlertEvent[];
  kept: { first: number; latest: number };
  /** The nodes and users it names, from the inventory (null when its tailnet has none). */
  inventory: InvolvedRecord[] | null;
  deliveries: Delivery[];
  triage: AlertTriage;
}

export function alertDetail(db: Database, inventory: InventoryReader, alertId: string, route: (alert: Alert) => readonly string[]): AlertDetail | undefined {
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
  const events = storedAlertEvents(db, alertId);
  return {
    alert: latest,
    revisions: revisions.map(({ alert, recordedAt }) => ({ revision: alert.revision, eventCount: alert.eventCount, lastEventTime: alert.lastEventTime, recordedAt })),
    events,
    kept: { first: FIRST_EVENTS, latest: LATEST_EVENTS },
    inventory: involvedInventory(inventory, latest, events.map((event) => event.record)),
    deliveries,
    triage: alertTriage(db, alertId),
  };
}
