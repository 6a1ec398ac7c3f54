// A receiver's check of X-Tailwatch-Signature, written independently of engine/ (as in docs/delivery.md;
// tests/destinations/delivery-doc.test.ts runs the documented snippet itself too).
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyTailwatchSignature(secret: string, rawBody: string, header: string, toleranceSeconds = 300): boolean {
  let timestamp = Number.NaN;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't') timestamp = Number(value);
    if (key === 'v1') signatures.push(value);
  }
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  return signatures.some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
