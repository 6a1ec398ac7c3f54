// When a record happened, the same in every delivery shape, and whether that time is plausible. The record's own
// time comes first (audit `eventTime`, network `end`, webhook `timestamp`), then the envelope's `time`, then `logged`, then
// `fields.recorded`. A time field that is present but unreadable, or no time at all, rejects the record
// (`invalid_time`): it never gets the wall clock. An event time before 2019 or more than the allowed skew ahead of
// the record's `logged` / `fields.recorded` time, or of its receive time live, rejects it too (`time_out_of_range`),
// so it never reaches the evaluator and never moves a watermark.
import type { RawObject } from './classify.ts';
import { isRawObject } from './classify.ts';
import { msToRfc3339, timeToMs } from './time.ts';

/**
 * A record dated s minutes ahead moves the watermark s minutes ahead, and everything more than the allowed lateness
 * (10 minutes) behind it becomes late: keep this well below the lateness.
 */
export const DEFAULT_MAX_FUTURE_SKEW_MINUTES = 5;
/** Tailscale's logs start later: an earlier event time is a clock error or garbage. */
export const EARLIEST_EVENT_MS = Date.UTC(2019, 0, 1);
/** How Go writes an unset time.Time; read as absent, like a missing field. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export type OwnTimeField = 'eventTime' | 'end' | 'timestamp';

export interface TimeBounds {
  maxFutureSkewMs: number;
  /** When the record arrived (epoch ms), live only. */
  receivedAtMs?: number;
}

export interface RecordTimes {
  /** p_event_time as epoch ms. */
  eventMs: number;
  /** p_parse_time as epoch ms: the receive time live; in replay the record's logged/recorded time, else its event time. */
  parseMs: number;
  /** The envelope's time, when it has one. */
  envelopeMs: number | undefined;
}

export interface TimeFailure {
  ok: false;
  reason: 'invalid_time' | 'time_out_of_range';
  message: string;
}

/** Epoch ms of a time field: undefined when unset, NaN when present but unreadable. */
function fieldMs(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === GO_ZERO_TIME) return undefined;
  return timeToMs(value) ?? Number.NaN;
}

export function recordTimes(
  logType: string, ownField: OwnTimeField, own: unknown, logged: unknown, envelope: RawObject | undefined, bounds: TimeBounds,
): RecordTimes | TimeFailure {
  const ownMs = fieldMs(own);
  if (Number.isNaN(ownMs)) return invalid(logType, ownField, own);
  const envelopeMs = envelope === undefined ? undefined : fieldMs(envelope.time);
  if (Number.isNaN(envelopeMs)) return invalid(logType, 'time', envelope?.time);
  const loggedMs = fieldMs(logged);
  if (Number.isNaN(loggedMs)) return invalid(logType, 'logged', logged);
  const fields = envelope?.fields;
  const recorded = isRawObject(fields) ? fields.recorded : undefined;
  const recordedMs = fieldMs(recorded);
  if (Number.isNaN(recordedMs)) return invalid(logType, 'fields.recorded', recorded);

  const eventMs = ownMs ?? envelopeMs ?? loggedMs ?? recordedMs;
  if (eventMs === undefined) {
    return { ok: false, reason: 'invalid_time', message: `${logType} record has no event time (${ownField}, time, logged and fields.recorded are all absent)` };
  }
  const field = eventMs === ownMs ? ownField : eventMs === envelopeMs ? 'time' : eventMs === loggedMs ? 'logged' : 'fields.recorded';
  if (eventMs < EARLIEST_EVENT_MS) return outOfRange(`${describe(field, eventMs)} is before ${msToRfc3339(EARLIEST_EVENT_MS)}`);
  const failure = tooFarAhead(field, eventMs, bounds.maxFutureSkewMs, 'logged', loggedMs)
    ?? tooFarAhead(field, eventMs, bounds.maxFutureSkewMs, 'fields.recorded', recordedMs)
    ?? tooFarAhead(field, eventMs, bounds.maxFutureSkewMs, 'the receive time', bounds.receivedAtMs);
  if (failure !== undefined) return failure;
  return { eventMs, parseMs: bounds.receivedAtMs ?? loggedMs ?? recordedMs ?? eventMs, envelopeMs };
}

function tooFarAhead(field: string, eventMs: number, skewMs: number, label: string, referenceMs: number | undefined): TimeFailure | undefined {
  if (referenceMs === undefined || eventMs - referenceMs <= skewMs) return undefined;
  return outOfRange(`${describe(field, eventMs)} is more than ${skewMs / 60_000} minutes ahead of ${label} ${msToRfc3339(referenceMs)}`);
}

function invalid(logType: string, field: string, value: unknown): TimeFailure {
  return { ok: false, reason: 'invalid_time', message: `${logType} record has an invalid ${field}: ${JSON.stringify(value)?.slice(0, 80)}` };
}

function outOfRange(detail: string): TimeFailure {
  return { ok: false, reason: 'time_out_of_range', message: `event time ${detail}` };
}

function describe(field: string, ms: number): string {
  return `${msToRfc3339(ms)} (${field})`;
}
