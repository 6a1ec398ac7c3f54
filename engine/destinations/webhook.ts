// Signed JSON webhook: versioned payload, X-Tailwatch-Signature, and Idempotency-Key = alertId:revision for retries.
import { checkHttpUrl } from '../config/check-secrets.ts';
import { z } from 'zod';
import { SecretRef, TextOrSecret, resolveSecret } from '../config/secret.ts';
import { sharedOptions, timeoutSeconds } from './destination-config.ts';
import type { DestinationContext } from './destination-config.ts';
import { post } from './http-post.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import type { Destination } from './types.ts';
import { webhookPayload } from './webhook-payload.ts';

export const WebhookDestination = z.strictObject({
  kind: z.literal('webhook'),
  url: TextOrSecret,
  /** Extra request headers (e.g. Authorization); a value may be an environment reference. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'), TextOrSecret).optional(),
  /** HMAC-SHA256 key for the X-Tailwatch-Signature header; unsigned when absent. */
  secret: z.strictObject(SecretRef.shape, { error: 'a secret is never a literal: write { env: "VAR_NAME" }' }).optional(),
  timeoutSeconds,
  ...sharedOptions,
});
export type WebhookDestination = z.infer<typeof WebhookDestination>;

export function createWebhookDestination(config: WebhookDestination, { name, env }: DestinationContext): Destination {
  const key = `destinations.${name}`;
  const url = checkHttpUrl(config.url, `${key}.url`, env).href;
  const secret = config.secret ? resolveSecret(config.secret, `${key}.secret`, env) : undefined;
  const extraHeaders = Object.fromEntries(
    Object.entries(config.headers ?? {}).map(([header, value]) => [header, resolveSecret(value, `${key}.headers.${header}`, env)]),
  );
  return {
    name,
    kind: 'webhook',
    send: ({ alert, enqueuedAt }, signal) => {
      const body = JSON.stringify(webhookPayload(alert, enqueuedAt));
      const headers: Record<string, string> = {
        ...extraHeaders,
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'tailwatch',
        'Idempotency-Key': `${alert.alertId}:${alert.revision}`,
      };
      // Signed at each attempt, so the timestamp is fresh and receivers can keep a tight replay window.
      if (secret !== undefined) headers[SIGNATURE_HEADER] = signatureHeader(secret, body, Date.now() / 1000);
      return post({ url, body, headers, timeoutSeconds: config.timeoutSeconds, signal });
    },
    check: async () => ({ ok: true }),
  };
}
