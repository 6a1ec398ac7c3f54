import { describe, expect, it } from 'vitest';
import { msToRfc3339, normalizeTime, timeToMs } from '../../engine/schemas/index.ts';

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
