// X-Tailwatch-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (the Stripe/Slack scheme).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Tailwatch-Signature';

export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  const t = Math.floor(timestampSeconds);
  return `t=${t},v1=${hmacHex(secret, `${t}.${body}`)}`;
}

export interface VerifyOptions {
  /** Reject signatures older (or newer) than this, against replays. Default 300. */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** True when the header carries a valid v1 signature of body, made within the tolerance. */
export function verifySignature(secret: string, body: string, header: string, options: VerifyOptions = {}): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) return false;
  const now = options.nowSeconds ?? Date.now() / 1000;
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(hmacHex(secret, `${t}.${body}`), 'hex');
  // Several v1 values may be present while a secret is being rotated.
  return (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}
