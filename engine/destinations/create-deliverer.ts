// Wires a Deliverer from the config: its destinations, their rate limits and the retry policy.
import type { Writable } from 'node:stream';
import type { Config } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import type { Database } from '../state/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Clock } from './clock.ts';
import { createDestinations } from './create.ts';
import { Deliverer, type DeliveryObserver, type DestinationSet } from './deliverer.ts';

export interface CreateDelivererOptions {
  env?: Environment;
  /** Where stdout destinations write (see DestinationContext.stdout). */
  stdout?: Writable;
  observer?: DeliveryObserver;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** See DelivererOptions.deadLetterUnknownDestinations (set it in `tailwatch run`). */
  deadLetterUnknownDestinations?: boolean;
}

/** The config's destinations, built (secrets resolved: a missing one throws), with their rate limits. */
export function destinationSet(config: Pick<Config, 'destinations'>, env?: Environment, stdout?: Writable): DestinationSet {
  const rateLimitsPerMinute = new Map<string, number>();
  for (const [name, destination] of Object.entries(config.destinations)) {
    if (destination.rateLimitPerMinute !== undefined) rateLimitsPerMinute.set(name, destination.rateLimitPerMinute);
  }
  return { destinations: createDestinations(config, env, stdout), rateLimitsPerMinute };
}

export function createDeliverer(db: Database, config: Pick<Config, 'destinations' | 'delivery'>, options: CreateDelivererOptions = {}): Deliverer {
  return new Deliverer({
    db,
    ...destinationSet(config, options.env, options.stdout),
    policy: config.delivery,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    deadLetterUnknownDestinations: options.deadLetterUnknownDestinations ?? false,
  });
}
