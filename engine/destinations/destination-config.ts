// What every destination's config and create() share: the options every kind takes, and the build context.
import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { Environment } from '../config/secret.ts';
import { SEVERITIES } from '../rules/base/severity.ts';

export const SeverityName = z.enum(SEVERITIES);

/** Names appear in metrics labels and CLI output, so keep them plain. */
export const DestinationName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only');

/** Options every kind takes; spread into each kind's schema. */
export const sharedOptions = {
  /** Alerts below this severity never reach the destination, whatever routed them. */
  minSeverity: SeverityName.optional(),
  /** At most this many deliveries per minute; the excess waits in the outbox. */
  rateLimitPerMinute: z.number().int().positive().optional(),
};

/** Per HTTP attempt; a timeout is retried. */
export const timeoutSeconds = z.number().positive().max(300).default(10);

/** What create(config, context) needs besides the destination's own config. */
export interface DestinationContext {
  name: string;
  /** Where `{ env }` references are looked up. */
  env: Environment;
  /** Where a stdout destination writes (default process.stdout; replay uses stderr, its stdout is its report). */
  stdout?: Writable | undefined;
}
