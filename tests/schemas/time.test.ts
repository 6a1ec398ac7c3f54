import { describe, expect, it } from 'vitest';
import { msToRfc3339, normalizeTime, timeToMs } from '../../engine/schemas/index.ts';
import { rfc3339ZToMs } from '../../engine/schemas/time.ts';

describe('normalizeTime', () => {
  it('normalises every timestamp form to RFC 3339 UTC with milliseconds', () => {
    expect(normalizeTime('2026-06-02T19:00:05.558444283Z')).toBe('2026-06-02T19:00:05.558Z');
    expect(normalizeTime('2026-07-24T09:05:07Z')).toBe('2026-07-24T09:05:07.000Z');
    expect(normalizeTime('2023-07-19 16:10:38.365000000')).toBe('2023-07-19T16:10:38.365Z');
    expect(normalizeTime('2023-06-27 23:02:08.54')).toBe('2023-06-27T23:02:08.540Z');
    expect(normalizeTime('2022-10-18 18:40:58.653877012 +0000 UTC')).toBe('2022-10-18T18:40:58.653Z');
    expect(normalizeTime('2026-06-02T21:00:05.5+02:00')).toBe('2026-06-02T19:00:05.500Z');
    expect(normalizeTime('2026-06-02T17:30:05-0130')).toBe('2026-06-02T19:00:05.000Z');
    expect(normalizeTime(1780500776.773)).toBe('2026-06-03T15:32:56.773Z');
    expect(normalizeTime('1687906694.915')).toBe('2023-06-27T22:58:14.915Z');
  });

  it('treats zone-less text as UTC whatever the local time zone', () => {
    expect(timeToMs('2023-07-19 16:10:38.365000000')).toBe(Date.UTC(2023, 6, 19, 16, 10, 38, 365));
  });

  it('is undefined for absent, invalid or zero times', () => {
    for (const value of [undefined, null, '', 'yesterday', '2026-13-01T00:00:00Z', '0001-01-01T00:00:00Z', Number.NaN, 1e20, {}, true]) {
      expect(normalizeTime(value)).toBeUndefined();
    }
  });
});

describe('msToRfc3339', () => {
  it('matches Date#toISOString', () => {
    for (const ms of [0, -1, 1, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), -62135596800000]) {
      expect(msToRfc3339(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe('rfc3339ZToMs (the fast path of timeToMs)', () => {
  it('equals Date.parse on `YYYY-MM-DDTHH:MM:SS[.fraction]Z` text, and refuses every other form', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const samples: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const iso = new Date(Math.floor(random() * Date.UTC(9999, 11, 31))).toISOString();
      const fraction = ['', '.5', '.56', '.558', '.558444', '.558444283'][i % 6]!;
      samples.push(fraction === '' ? iso.replace(/\.\d{3}Z$/, 'Z') : iso.replace(/\.\d{3}Z$/, `${fraction}Z`));
    }
    samples.push('2026-02-30T00:00:00Z', '2024-02-29T23:59:59.999Z', '2026-04-31T12:00:00Z', '1000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z');
    for (const text of samples) expect(rfc3339ZToMs(text)).toBe(Date.parse(text));
    for (const text of ['2026-06-01T23:59:60Z', '2026-06-01T23:60:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z',
      '2026-01-32T00:00:00Z', '2026-06-01T24:00:00Z', '2026-06-01T23:59:59.Z', '2026-06-01T23:59:59.1xZ', '2026-06-01T23:59:59+00:00',
      '2026-06-01 23:59:59Z', '2026-06-01T23:59Z', '+002026-06-01T23:59:59Z', '2026-06-0xT23:59:59Z', '2026/06/01T23:59:59Z', 'yesterday']) {
      expect(rfc3339ZToMs(text)).toBeNaN();
    }
  });
});
