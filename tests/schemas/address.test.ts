import { describe, expect, it } from 'vitest';
import { dstEndpoints, parseEndpoint, srcEndpoints } from '../../engine/schemas/index.ts';

describe('parseEndpoint', () => {
  it('splits IPv4 and bracketed IPv6 endpoints', () => {
    expect(parseEndpoint('100.64.0.11:22')).toEqual({ ip: '100.64.0.11', port: 22 });
    expect(parseEndpoint('[fd7a:115c:a1e0::1]:9999')).toEqual({ ip: 'fd7a:115c:a1e0::1', port: 9999 });
    expect(parseEndpoint('10.0.0.1:0')).toEqual({ ip: '10.0.0.1', port: 0 });
  });

  it('accepts an address without a port', () => {
    expect(parseEndpoint('100.64.0.11')).toEqual({ ip: '100.64.0.11', port: undefined });
    expect(parseEndpoint('fd7a:115c:a1e0::1')).toEqual({ ip: 'fd7a:115c:a1e0::1', port: undefined });
  });

  it('yields no ip for redacted or invalid text, and never throws', () => {
    expect(parseEndpoint('100.x.x.x:22')).toEqual({ ip: undefined, port: 22 });
    expect(parseEndpoint('192.555.66.77:41641')).toEqual({ ip: undefined, port: 41641 });
    expect(parseEndpoint('[not-an-ip]:80')).toEqual({ ip: undefined, port: 80 });
    expect(parseEndpoint('[]:1')).toEqual({ ip: undefined, port: 1 });
    for (const text of ['1.2.3.4:99999', '1.2.3.4:-1', '1.2.3.4:8x', '1.2.3.4:']) expect(parseEndpoint(text)).toEqual({ ip: '1.2.3.4', port: undefined });
    for (const text of ['', ':', '[', ']:', 'a:b:c', 'garbage', undefined]) {
      const endpoint = parseEndpoint(text);
      expect(endpoint.ip).toBeUndefined();
      expect(endpoint.port).toBeUndefined();
    }
  });
});

describe('dstEndpoints / srcEndpoints', () => {
  it('parse each entry of a traffic array once, whoever asks', () => {
    const entries = [{ src: '100.64.0.1:40000', dst: '100.64.0.2:22' }, { dst: '100.x.x.x:443' }, { src: '[fd7a:115c:a1e0::1]:5', dst: 'garbage' }];
    const dsts = dstEndpoints(entries);
    expect(dsts).toEqual(entries.map((entry) => parseEndpoint(entry.dst)));
    expect(dsts.map((e) => e.ip)).toEqual(['100.64.0.2', undefined, undefined]);
    expect(srcEndpoints(entries).map((e) => e.ip)).toEqual(['100.64.0.1', undefined, 'fd7a:115c:a1e0::1']);
    expect(dstEndpoints(entries)).toBe(dsts);
    // Another array (another event) is parsed on its own, even with equal content.
    const copy = entries.map((entry) => ({ ...entry }));
    expect(dstEndpoints(copy)).not.toBe(dsts);
    expect(dstEndpoints(copy)).toEqual(dsts);
  });
});
