// The alerts.config.ts schema (ARCHITECTURE §4): strict, so a misspelt key fails at start with its name.
import { z } from 'zod';
import { ConsoleConfig } from '../console/console-config.ts';
import { ClusterConfig } from '../cluster/cluster-config.ts';
import { DEFAULT_ALLOWED_LATENESS_MINUTES, MAX_ALLOWED_LATENESS_MINUTES } from '../alerts/lateness.ts';
import { DEFAULT_MAX_FUTURE_SKEW_MINUTES } from '../schemas/event-time.ts';
import { DestinationName } from '../destinations/destination-config.ts';
import { FileDestination } from '../destinations/file.ts';
import { SlackDestination } from '../destinations/slack.ts';
import { StdoutDestination } from '../destinations/stdout.ts';
import { WebhookDestination } from '../destinations/webhook.ts';
import { FileSourceConfig } from '../sources/file-source.ts';
import { HecSourceConfig } from '../sources/hec.ts';
import { S3SourceConfig } from '../sources/s3-source.ts';
import { ListenAddress } from '../sources/source-config.ts';
import { StdinSourceConfig } from '../sources/stdin-source.ts';
import { TailscaleApiSourceConfig } from '../sources/tailscale-api-source.ts';
import { TailscaleWebhookSourceConfig } from '../sources/tailscale-webhook.ts';
import { InventoryPollConfig } from '../inventory/poll-config.ts';
import { Route } from './routes.ts';
import { RulesConfig } from './rules-config.ts';
import { SuppressionEntries } from '../suppressions/suppression-entry.ts';
import { SecretRef } from './secret.ts';

// Each component file owns its schema beside its create(); the config only gathers them.
export const SourceConfig = z.discriminatedUnion('kind', [HecSourceConfig, FileSourceConfig, S3SourceConfig, StdinSourceConfig, TailscaleWebhookSourceConfig, TailscaleApiSourceConfig]);
export type SourceConfig = z.infer<typeof SourceConfig>;

export const DestinationConfig = z.discriminatedUnion('kind', [SlackDestination, WebhookDestination, StdoutDestination, FileDestination]);
export type DestinationConfig = z.infer<typeof DestinationConfig>;

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

export const TimePolicy = z
  .strictObject({
    /**
     * How late (behind the watermark of its tailnet and log type) an event may arrive and still count in its window;
     * a window's alert is final once the watermark has passed its end by this much (docs/rules.md, "Alert windows").
     */
    allowedLatenessMinutes: z.int().min(0).max(MAX_ALLOWED_LATENESS_MINUTES).default(DEFAULT_ALLOWED_LATENESS_MINUTES),
    /**
     * A record whose event time is further ahead of its own logged/recorded time (or, live, of its receive time) is
     * rejected as time_out_of_range. Keep it below the allowed lateness (10 minutes): a record dated s minutes ahead
     * moves the watermark s minutes ahead, and what is more than the lateness behind the watermark is late.
     */
    maxFutureSkewMinutes: z.number().positive().default(DEFAULT_MAX_FUTURE_SKEW_MINUTES),
  })
  .refine((time) => time.maxFutureSkewMinutes <= time.allowedLatenessMinutes, {
    message: 'maxFutureSkewMinutes must not exceed allowedLatenessMinutes: a record dated that far ahead would make every event behind it late',
    path: ['maxFutureSkewMinutes'],
  });
export type TimePolicy = z.infer<typeof TimePolicy>;

export const Config = z
  .strictObject({
    /** SQLite state, outbox and checkpoints; relative to the config file's directory. */
    dataDir: z.string().min(1).default('./data'),
    /** Upper bound of the SQLite file in dataDir: the evaluator snapshots early and, at the bound, answers new data 503. */
    maxDatabaseMiB: z.number().positive().optional(),
    rules: RulesConfig.prefault({}),
    sources: z.array(SourceConfig).default([]),
    /** Tailnets whose inventory (devices, users, keys, policy file) is polled from Tailscale's API. */
    inventory: z.array(InventoryPollConfig).default([]),
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
    /** Every alert's revisions are kept this long (tailwatch alerts list); at least the 7 days a journal replay reaches. */
    history: z.strictObject({ retentionDays: z.number().min(7).default(90) }).prefault({}),
    /** Signals (matches of `signal: true` rules) are kept with their event this long (tailwatch signals). */
    signals: z.strictObject({ retentionDays: z.number().positive().default(7) }).prefault({}),
    time: TimePolicy.prefault({}),
    /** Suppressions as code (docs/suppressions.md): rules and identities silenced until an expiry, with reason and owner. */
    suppressions: SuppressionEntries.default([]),
    /** The web console (docs/console.md). */
    console: ConsoleConfig.prefault({}),
    /** NATS JetStream mode (docs/cluster.md); absent: one process with SQLite state. */
    cluster: ClusterConfig.optional(),
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
    for (const [id, override] of Object.entries(config.rules.overrides)) {
      override.destinations?.forEach((name, j) => check(name, ['rules', 'overrides', id, 'destinations', j]));
    }
  });

/** The validated config, defaults applied. */
export type Config = z.output<typeof Config>;
/** What a config file writes (defaults may be left out). */
export type ConfigInput = z.input<typeof Config>;
