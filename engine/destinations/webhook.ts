// Signed JSON webhook: versioned payload, X-Tailwatch-Signature, and Idempotency-Key = alertId:revision for retries.
import { checkHttpUrl } from '../config/check-secrets.ts';
import type { WebhookDestination } from '../config/destinations.ts';
import { resolveSecret, type Environment } from '../config/secret.ts';
import { post } from './http-post.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import type { Destination } from './types.ts';
import { webhookPayload } from './webhook-payload.ts';

export function webhookDestination(name: string, config: WebhookDestination, env: Environment): Destination {
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
