// Tailscale's webhook signature (docs/webhooks/example.go in tailscale/tailscale): the header
// `Tailscale-Webhook-Signature: t=<unix seconds>,v1=<hex>` where v1 is HMAC-SHA256, keyed with the webhook secret,
// of `<t>.<body bytes>`. Several v1 values may be sent; any one matching is enough. Unknown parts are ignored.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'tailscale-webhook-signature';

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'expired' | 'invalid';

export interface SignatureHeader {
  timestampSeconds: number;
  signatures: string[];
}

/** The header's parts, or why it cannot be one. */
export function parseSignatureHeader(header: string | undefined): SignatureHeader | 'missing' | 'malformed' {
  if (header === undefined || header === '') return 'missing';
  let timestampSeconds: number | undefined;
  const signatures: string[] = [];
  for (const pair of header.split(',')) {
    const parts = pair.trim().split('=');
    if (parts.length !== 2) return 'malformed';
    const [key, value] = parts as [string, string];
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return 'malformed';
      timestampSeconds = Number(value);
    } else if (key === 'v1') signatures.push(value);
  }
  if (timestampSeconds === undefined || signatures.length === 0) return 'malformed';
  return { timestampSeconds, signatures };
}

export function signBody(secret: string, timestampSeconds: number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * Whether `body` was signed with `secret` no more than toleranceSeconds before (or after: clock skew) `nowMs`.
 * The time comes first, so an old signature is `expired` whether it matches or not.
 */
export function checkSignature(header: SignatureHeader, body: Buffer, secret: string, nowMs: number, toleranceSeconds: number): SignatureCheck {
  if (Math.abs(nowMs / 1000 - header.timestampSeconds) > toleranceSeconds) return 'expired';
  const want = Buffer.from(signBody(secret, header.timestampSeconds, body), 'utf8');
  const match = header.signatures.some((signature) => {
    const got = Buffer.from(signature, 'utf8');
    return got.length === want.length && timingSafeEqual(got, want);
  });
  return match ? 'ok' : 'invalid';
}
