import { describe, expect, it } from 'vitest';
import { compileTestFilter } from '../../engine/testing/test-filter.ts';

describe('compileTestFilter', () => {
  it('matches a case-insensitive substring', () => {
    const filter = compileTestFilter('magic.dns');
    expect(filter('Tailscale.Magic.DNS.Disabled')).toBe(true);
    expect(filter('Tailscale.MagicXDNS')).toBe(false);
  });

  it('matches a glob against the whole text', () => {
    const filter = compileTestFilter('Tailscale.*.Disabled');
    expect(filter('Tailscale.HTTPS.Disabled')).toBe(true);
    expect(filter('tailscale.https.disabled')).toBe(true);
    expect(filter('Tailscale.HTTPS.Disabled.Again')).toBe(false);
    expect(compileTestFilter('Other ?vent')('Other Event')).toBe(true);
  });
});
