// Routes a batch of alerts through the config and delivers them (what `tailwatch replay --deliver` does).
import type { Alert } from '../alerts/alert.ts';
import type { Config } from '../config/schema.ts';
import { routeAlert } from '../route/route-alert.ts';
import { openDatabase, transaction } from '../state/database.ts';
import { createDeliverer, type CreateDelivererOptions } from './create-deliverer.ts';
import type { DeliveryOutcome } from './deliverer.ts';
import { enqueue } from './outbox.ts';

export interface DeliverAlertsOptions extends CreateDelivererOptions {
  /** Give up waiting after this long; what is still pending stays in the outbox for `tailwatch run`. */
  timeoutSeconds?: number;
}

export interface DeliverySummary {
  alerts: number;
  /** Outbox rows created (alert × destination); pairs already in the outbox are not added twice. */
  enqueued: number;
  outcomes: Record<DeliveryOutcome, number>;
  /** Deliveries still waiting (retrying) when the wait ended. */
  pending: number;
}

export async function deliverAlerts(config: Config, alerts: Iterable<Alert>, options: DeliverAlertsOptions = {}): Promise<DeliverySummary> {
  const db = openDatabase(config.dataDir);
  const outcomes: Record<DeliveryOutcome, number> = { delivered: 0, retry: 0, dead_letter: 0 };
  try {
    let count = 0;
    const enqueued = transaction(db, () => {
      let rows = 0;
      for (const alert of alerts) {
        count += 1;
        rows += enqueue(db, alert, routeAlert(alert, config).destinations);
      }
      return rows;
    });
    const deliverer = createDeliverer(db, config, {
      ...options,
      observer: {
        ...options.observer,
        onDelivery: (event) => {
          outcomes[event.outcome] += 1;
          options.observer?.onDelivery?.(event);
        },
      },
    });
    const pending = await deliverer.drain({ timeoutMs: (options.timeoutSeconds ?? 60) * 1000 });
    await deliverer.stop({ timeoutMs: 5000 });
    return { alerts: count, enqueued, outcomes, pending };
  } finally {
    db.close();
  }
}
