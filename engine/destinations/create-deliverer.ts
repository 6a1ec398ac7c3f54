// Wires a Deliverer from the config: its destinations, their rate limits and the retry policy.
import type { Config } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import type { Database } from '../state/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Clock } from './clock.ts';
import { createDestinations } from './create.ts';
import { Deliverer, type DeliveryObserver } from './deliverer.ts';

export interface CreateDelivererOptions {
  env?: Environment;
  observer?: DeliveryObserver;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** See DelivererOptions.deadLetterUnknownDestinations (set it in `tailwatch run`). */
  deadLetterUnknownDestinations?: boolean;
}

export function createDeliverer(db: Database, config: Pick<Config, 'destinations' | 'delivery'>, options: CreateDelivererOptions = {}): Deliverer {
  const rateLimitsPerMinute = new Map<string, number>();
  for (const [name, destination] of Object.entries(config.destinations)) {
    if (destination.rateLimitPerMinute !== undefined) rateLimitsPerMinute.set(name, destination.rateLimitPerMinute);
  }
  return new Deliverer({
    db,
    destinations: createDestinations(config, options.env),
    policy: config.delivery,
    rateLimitsPerMinute,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    deadLetterUnknownDestinations: options.deadLetterUnknownDestinations ?? false,
  });
}
