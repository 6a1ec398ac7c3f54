// Where alerts go (ARCHITECTURE §4 `destinations`): one schema per kind plus the options every kind shares.
import { z } from 'zod';
import { SEVERITIES } from '../rules/severity.ts';
import { SecretRef, TextOrSecret } from './secret.ts';

export const SeverityName = z.enum(SEVERITIES);

/** Names appear in metrics labels and CLI output, so keep them plain. */
export const DestinationName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only');

const shared = {
  /** Alerts below this severity never reach the destination, whatever routed them. */
  minSeverity: SeverityName.optional(),
  /** At most this many deliveries per minute; the excess waits in the outbox. */
  rateLimitPerMinute: z.number().int().positive().optional(),
};

/** Per HTTP attempt; a timeout is retried. */
const timeoutSeconds = z.number().positive().max(300).default(10);

export const SlackDestination = z.strictObject({
  kind: z.literal('slack'),
  /** An incoming-webhook URL is a credential: only an environment reference is accepted. */
  url: z.strictObject(SecretRef.shape, {
    error: 'a Slack webhook URL is a secret: write { env: "SLACK_WEBHOOK_URL" } and set that variable',
  }),
  timeoutSeconds,
  ...shared,
});
export type SlackDestination = z.infer<typeof SlackDestination>;

export const WebhookDestination = z.strictObject({
  kind: z.literal('webhook'),
  url: TextOrSecret,
  /** Extra request headers (e.g. Authorization); a value may be an environment reference. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'), TextOrSecret).optional(),
  /** HMAC-SHA256 key for the X-Tailwatch-Signature header; unsigned when absent. */
  secret: z.strictObject(SecretRef.shape, { error: 'a secret is never a literal: write { env: "VAR_NAME" }' }).optional(),
  timeoutSeconds,
  ...shared,
});
export type WebhookDestination = z.infer<typeof WebhookDestination>;

export const StdoutDestination = z.strictObject({
  kind: z.literal('stdout'),
  /** `json`: one webhook-payload line per alert; `text`: one readable line. */
  format: z.enum(['json', 'text']).default('json'),
  ...shared,
});
export type StdoutDestination = z.infer<typeof StdoutDestination>;

export const FileDestination = z.strictObject({
  kind: z.literal('file'),
  /** NDJSON, appended; relative paths are resolved against the config file's directory. */
  path: z.string().min(1),
  ...shared,
});
export type FileDestination = z.infer<typeof FileDestination>;

export const DestinationConfig = z.discriminatedUnion('kind', [
  SlackDestination,
  WebhookDestination,
  StdoutDestination,
  FileDestination,
]);
export type DestinationConfig = z.infer<typeof DestinationConfig>;
