// The alerts.config.ts schema (ARCHITECTURE §4): strict, so a misspelt key fails at start with its name.
import { z } from 'zod';
import { DestinationConfig, DestinationName } from './destinations.ts';
import { Route } from './routes.ts';
import { SecretRef } from './secret.ts';
import { ListenAddress, SourceConfig } from './sources.ts';

export const DeliveryPolicy = z.strictObject({
  /** First retry delay; doubles per attempt (with jitter) up to retryMaxSeconds. */
  retryBaseSeconds: z.number().positive().default(1),
  /** Longest wait between attempts; also the cap on a receiver's Retry-After. */
  retryMaxSeconds: z.number().positive().default(300),
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: z.number().int().positive().default(25),
  /** A delivery still failing this long after it was enqueued is dead-lettered. */
  maxAgeMinutes: z.number().positive().default(24 * 60),
  /** How often the outbox is re-read for rows another process added. */
  pollSeconds: z.number().positive().default(1),
  /** A destination failing (paused, retrying, dead-lettering) this long without a delivery makes /readyz fail. */
  unhealthyAfterMinutes: z.number().positive().default(15),
});
export type DeliveryPolicy = z.infer<typeof DeliveryPolicy>;

export const Config = z
  .strictObject({
    /** SQLite state, outbox and checkpoints; relative to the config file's directory. */
    dataDir: z.string().min(1).default('./data'),
    rules: z
      .strictObject({
        dir: z.string().min(1).default('./rules'),
        /** Per rule id: overrides of the options the rule declares. */
        options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      })
      .prefault({}),
    sources: z.array(SourceConfig).default([]),
    /**
     * The evaluator's own HTTP endpoints (/healthz, /readyz, /metrics): `listen` serves them apart from HEC (else on
     * every HEC address); `token` makes /metrics and the /readyz details need `Authorization: Bearer <token>`.
     */
    http: z.strictObject({ listen: ListenAddress.optional(), token: SecretRef.optional() }).optional(),
    destinations: z.record(DestinationName, DestinationConfig),
    routes: z.array(Route).default([]),
    /** Where an alert goes when no route matched; [] delivers nowhere. */
    defaultRoute: z.array(DestinationName),
    delivery: DeliveryPolicy.prefault({}),
  })
  .superRefine((config, ctx) => {
    const known = Object.keys(config.destinations);
    const check = (name: string, path: (string | number)[]) => {
      if (!Object.hasOwn(config.destinations, name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `unknown destination "${name}" (configured: ${known.join(', ') || 'none'})`,
        });
      }
    };
    config.routes.forEach((route, i) => route.to.forEach((name, j) => check(name, ['routes', i, 'to', j])));
    config.defaultRoute.forEach((name, j) => check(name, ['defaultRoute', j]));
  });

/** The validated config, defaults applied. */
export type Config = z.output<typeof Config>;
/** What a config file writes (defaults may be left out). */
export type ConfigInput = z.input<typeof Config>;
