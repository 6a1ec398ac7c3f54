import { describe, expect, it } from 'vitest';
import { checkSignature, parseSignatureHeader, signBody } from '../../engine/sources/webhook-signature.ts';

const SECRET = 'tskey-webhook-xxxxx';
const T = 1_700_000_000;
// `printf '1700000000.[]' | openssl dgst -sha256 -hmac tskey-webhook-xxxxx`
const OPENSSL_V1 = '1d12f2ada50455e91921489197d96626f99468982cf61c43e54ca722f9f6fd93';
const body = Buffer.from('[]');

function check(header: string, nowSeconds = T, tolerance = 300) {
  const parsed = parseSignatureHeader(header);
  if (typeof parsed === 'string') return parsed;
  return checkSignature(parsed, body, SECRET, nowSeconds * 1000, tolerance);
}

describe('Tailscale-Webhook-Signature', () => {
  it('is HMAC-SHA256 of "<t>.<body>" in hex, as openssl computes it', () => {
    expect(signBody(SECRET, T, body)).toBe(OPENSSL_V1);
    expect(check(`t=${T},v1=${OPENSSL_V1}`)).toBe('ok');
  });

  it('accepts any one matching v1 among several and ignores unknown parts', () => {
    expect(check(`t=${T},v1=${'0'.repeat(64)},v1=${OPENSSL_V1},v0=old`)).toBe('ok');
  });

  it('refuses a missing, malformed, forged or other-secret signature', () => {
    expect(check('')).toBe('missing');
    expect(parseSignatureHeader(undefined)).toBe('missing');
    expect(check(`v1=${OPENSSL_V1}`)).toBe('malformed');
    expect(check(`t=${T}`)).toBe('malformed');
    expect(check(`t=abc,v1=${OPENSSL_V1}`)).toBe('malformed');
    expect(check(`t=${T};v1=${OPENSSL_V1}`)).toBe('malformed');
    expect(check(`t=${T},v1=${OPENSSL_V1.replace('1d', '2d')}`)).toBe('invalid');
    expect(check(`t=${T},v1=short`)).toBe('invalid');
    expect(check(`t=${T},v1=${signBody('another-secret', T, body)}`)).toBe('invalid');
    // The timestamp is signed: moving it breaks the signature.
    expect(check(`t=${T + 1},v1=${OPENSSL_V1}`, T + 1)).toBe('invalid');
  });

  it('refuses a signature older or further ahead than the tolerance, even when it matches', () => {
    expect(check(`t=${T},v1=${OPENSSL_V1}`, T + 300)).toBe('ok');
    expect(check(`t=${T},v1=${OPENSSL_V1}`, T + 301)).toBe('expired');
    expect(check(`t=${T},v1=${OPENSSL_V1}`, T - 301)).toBe('expired');
    expect(check(`t=${T},v1=${OPENSSL_V1}`, T + 3600, 7200)).toBe('ok');
  });
});
