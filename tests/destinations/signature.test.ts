import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../engine/destinations/signature.ts';
import { verifyTailwatchSignature } from '../support/verify-signature.ts';

const body = '{"version":1,"alertId":"abc"}';

describe('X-Tailwatch-Signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    // Reference: printf '1700000000.{"version":1,"alertId":"abc"}' | openssl dgst -sha256 -hmac whsec
    expect(signatureHeader('whsec', body, 1700000000.9)).toBe('t=1700000000,v1=eb1e05a6405f54be4bb565a98eafff9f082abce033ac7fbfe4f73965b07d0b4b');
  });

  it('verifies with the engine and with an independent receiver implementation', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader('whsec', body, now);
    expect(verifySignature('whsec', body, header)).toBe(true);
    expect(verifyTailwatchSignature('whsec', body, header)).toBe(true);
  });

  it('rejects a changed body, a wrong secret, an old timestamp and garbage', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader('whsec', body, now);
    expect(verifySignature('whsec', `${body} `, header)).toBe(false);
    expect(verifySignature('other', body, header)).toBe(false);
    expect(verifySignature('whsec', body, signatureHeader('whsec', body, now - 301))).toBe(false);
    expect(verifyTailwatchSignature('whsec', body, signatureHeader('whsec', body, now - 301))).toBe(false);
    expect(verifySignature('whsec', body, 'nonsense')).toBe(false);
    expect(verifySignature('whsec', body, 't=abc,v1=00')).toBe(false);
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const now = Math.floor(Date.now() / 1000);
    const v1 = signatureHeader('new', body, now).split('v1=')[1];
    expect(verifySignature('new', body, `t=${now},v1=${'0'.repeat(64)},v1=${v1}`)).toBe(true);
  });
});
