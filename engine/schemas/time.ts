// Timestamps in every form Tailscale and Panther use, normalised to RFC 3339 UTC with milliseconds.
// Zone-less text ("2023-07-19 16:10:38.365000000") is UTC: Date.parse would read it as local time.

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?(?:\s*UTC)?$/;
const UNIX_SECONDS = /^\d+(?:\.\d+)?$/;
/** The Date range limit (ECMA-262 §21.4.1.22). */
const MAX_MS = 8.64e15;
/** Earlier years are Go's zero time (0001-01-01, "unset") or garbage; Date.UTC would also map 0-99 to 19xx. */
const YEAR_1000_MS = Date.UTC(1000, 0, 1);

/** Epoch milliseconds of a timestamp (text or float unix seconds); undefined when absent, invalid or Go's zero time. */
export function timeToMs(value: unknown): number | undefined {
  if (typeof value === 'number') return inRange(Math.round(value * 1000));
  if (typeof value !== 'string') return undefined;
  // The common case, `2026-06-02T19:00:05.558444283Z`: V8's ISO parser is exact and fast (it truncates to ms).
  if (value.length >= 20 && value.charCodeAt(10) === 0x54 && value.charCodeAt(value.length - 1) === 0x5a) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms >= YEAR_1000_MS ? ms : undefined;
  }
  const match = TIMESTAMP.exec(value);
  if (match === null) return UNIX_SECONDS.test(value) ? inRange(Math.round(Number(value) * 1000)) : undefined;
  const [, year, month, day, hour, minute, second, fraction, , sign, offsetHours, offsetMinutes] = match;
  const y = Number(year);
  if (y < 1000 || Number(month) > 12 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return undefined;
  const ms = fraction === undefined ? 0 : Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'));
  let epoch = Date.UTC(y, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms);
  if (sign !== undefined) {
    const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
    epoch += sign === '+' ? -offset : offset;
  }
  return inRange(epoch);
}

function inRange(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_MS ? ms : undefined;
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
// Event times arrive in order and parse times are "now": the date part rarely changes, so two cached days
// (one for each) spare most toISOString calls, which are slow.
const cachedDays = [NaN, NaN];
const cachedDates = ['', ''];
let nextSlot = 0;

function datePart(day: number): string {
  if (cachedDays[0] === day) return cachedDates[0]!;
  if (cachedDays[1] === day) return cachedDates[1]!;
  const slot = nextSlot;
  nextSlot = 1 - slot;
  cachedDays[slot] = day;
  return (cachedDates[slot] = new Date(day * DAY_MS).toISOString().slice(0, -13));
}

/** RFC 3339 UTC with milliseconds: `2023-07-19T16:10:38.365Z`. */
export function msToRfc3339(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${datePart(day)}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

/** A timestamp normalised to RFC 3339 UTC with milliseconds, or undefined. */
export function normalizeTime(value: unknown): string | undefined {
  const ms = timeToMs(value);
  return ms === undefined ? undefined : msToRfc3339(ms);
}
