// Raw JSON value → typed, normalised event: classify the delivery shape and log type by content, validate
// with the zod schema, resolve and bound the event time, then add the p_* fields. Every shape comes out in the envelope
// form, with the same p_event_time.
import { z } from 'zod';
import { AuditRecord } from './audit.ts';
import { isAuditRecord } from './audit-fast-check.ts';
import type { AuditEvent } from './audit.ts';
import { classify, describeUnknown, isRawObject, unwrap } from './classify.ts';
import type { RawObject } from './classify.ts';
import { DEFAULT_MAX_FUTURE_SKEW_MINUTES, recordTimes } from './event-time.ts';
import type { RecordTimes } from './event-time.ts';
import { auditIndicators, networkIndicators, networkIps, webhookIndicators } from './indicators.ts';
import type { Indicators, NetworkIndicators } from './indicators.ts';
import type { LogType, TailscaleEvent } from './log-types.ts';
import { NetworkRecord } from './network.ts';
import type { NetworkEvent } from './network.ts';
import { isNetworkRecord } from './network-fast-check.ts';
import { nextRowId } from './row-id.ts';
import { msToRfc3339 } from './time.ts';
import { WebhookRecord } from './webhook.ts';
import type { WebhookEvent } from './webhook.ts';

export interface ParseContext {
  sourceId: string;
  sourceLabel: string;
  /** The tailnet the records come from (p_tailnet). */
  tailnet: string;
  /** An event time further than this ahead of the record's logged/recorded time, or of its receive time, is out of range. */
  maxFutureSkewMs: number;
  /** When the record's batch arrived (epoch ms): live only, replay has no receive time. It is also p_parse_time. */
  receivedAtMs?: number;
}

/** What a parse context holds beyond the source: the same for every source unless configured. */
export type ParseSettings = Pick<ParseContext, 'tailnet' | 'maxFutureSkewMs'>;

export const DEFAULT_PARSE_SETTINGS: ParseSettings = Object.freeze({
  tailnet: 'default',
  maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MINUTES * 60_000,
});

export type ParseFailureReason = 'not_an_object' | 'unknown_log_type' | 'schema_mismatch' | 'invalid_time' | 'time_out_of_range';

export type ParseResult =
  | { ok: true; event: TailscaleEvent; /** p_event_time as epoch milliseconds. */ eventTimeMs: number }
  | { ok: false; reason: ParseFailureReason; message: string };

/** The log type of a raw value by content alone, without validating it (undefined: not a Tailscale record). */
export function classifyValue(value: unknown): LogType | undefined {
  return isRawObject(value) ? classify(unwrap(value).record) : undefined;
}

export function parseRecord(value: unknown, context: ParseContext): ParseResult {
  if (!isRawObject(value)) return failure('not_an_object', `record is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a JSON object`);
  const { record, envelope } = unwrap(value);
  const logType = classify(record);
  if (logType === 'Tailscale.Network') {
    // The hot shape: checked by hand and used as it is; zod only for what that check refuses (and its message).
    let data: NetworkRecord;
    if (isNetworkRecord(record)) data = record;
    else {
      const parsed = NetworkRecord.safeParse(record);
      if (!parsed.success) return mismatch(logType, parsed.error);
      data = parsed.data;
    }
    const times = recordTimes(logType, 'end', data.end, data.logged, envelope, context);
    if ('reason' in times) return times;
    const event: NetworkEvent = assemble('Tailscale.Network', data, envelope, times, networkIndicators(data), context);
    return { ok: true, event, eventTimeMs: times.eventMs };
  }
  if (logType === 'Tailscale.Audit') {
    let data: AuditRecord;
    if (isAuditRecord(record)) data = record;
    else {
      const parsed = AuditRecord.safeParse(record);
      if (!parsed.success) return mismatch(logType, parsed.error);
      data = parsed.data;
    }
    const times = recordTimes(logType, 'eventTime', data.eventTime, data.logged, envelope, context);
    if ('reason' in times) return times;
    const event: AuditEvent = assemble('Tailscale.Audit', data, envelope, times, undefined, context);
    return { ok: true, event, eventTimeMs: times.eventMs };
  }
  if (logType === 'Tailscale.Webhook') {
    const parsed = WebhookRecord.safeParse(record);
    if (!parsed.success) return mismatch(logType, parsed.error);
    const data = parsed.data;
    const times = recordTimes(logType, 'timestamp', data.timestamp, undefined, envelope, context);
    if ('reason' in times) return times;
    const event: WebhookEvent = assemble('Tailscale.Webhook', data, envelope, times, webhookIndicators(data), context);
    return { ok: true, event, eventTimeMs: times.eventMs };
  }
  return failure('unknown_log_type', `not a Tailscale audit, network or webhook record: ${describeUnknown(record)}`);
}

/**
 * p_any_ip_addresses of a network event, computed on first read (rules rarely read it, and it visits every
 * traffic entry). An own enumerable accessor, so JSON.stringify and spreading still include it.
 */
const LAZY_NETWORK_IPS: PropertyDescriptor = Object.freeze({
  enumerable: true,
  configurable: true,
  get(this: NetworkEvent): string[] {
    const ips = networkIps(this.event);
    settle(this, 'p_any_ip_addresses', ips);
    return ips;
  },
  set(this: NetworkEvent, ips: string[]): void {
    settle(this, 'p_any_ip_addresses', ips);
  },
});

function settle(event: object, key: string, value: unknown): void {
  Object.defineProperty(event, key, { value, enumerable: true, configurable: true, writable: true });
}

const AUDIT_INDICATORS = ['p_any_emails', 'p_any_actor_ids', 'p_any_usernames', 'p_any_domain_names'] as const;
type AuditIndicator = (typeof AUDIT_INDICATORS)[number];

/** All four, settled as plain fields: the first read of any of them computes them (two are regular-expression checks). */
function settleAudit(event: AuditEvent): Record<AuditIndicator, string[]> {
  const indicators = auditIndicators(event.event);
  for (const key of AUDIT_INDICATORS) settle(event, key, indicators[key]);
  return indicators;
}

/** The p_any_* fields of an audit event but p_any_ip_addresses (always empty), computed on first read; see LAZY_NETWORK_IPS. */
const LAZY_AUDIT_INDICATORS: Readonly<Record<AuditIndicator, PropertyDescriptor>> = Object.freeze(
  Object.fromEntries(
    AUDIT_INDICATORS.map((key) => [
      key,
      Object.freeze({
        enumerable: true,
        configurable: true,
        get(this: AuditEvent): string[] {
          return settleAudit(this)[key];
        },
        set(this: AuditEvent, value: string[]): void {
          settleAudit(this);
          settle(this, key, value);
        },
      }),
    ]),
  ) as Record<AuditIndicator, PropertyDescriptor>,
);

function failure(reason: ParseFailureReason, message: string): ParseResult {
  return { ok: false, reason, message };
}

function mismatch(logType: string, error: z.ZodError): ParseResult {
  return failure('schema_mismatch', `${logType} record does not match its schema: ${z.prettifyError(error).replaceAll('\n', ' ')}`);
}

// Consecutive events mostly share a parse time (one batch's receive time, or records logged in the same millisecond).
let lastParseMs = Number.NaN;
let lastParseTime = '';

function parseTime(ms: number): string {
  if (ms !== lastParseMs) {
    lastParseMs = ms;
    lastParseTime = msToRfc3339(ms);
  }
  return lastParseTime;
}

/** Builds the envelope form, keys in reading order: time, event, fields, then the p_* fields. */
function assemble<L extends TailscaleEvent['p_log_type'], R>(
  logType: L, data: R, envelope: RawObject | undefined, times: RecordTimes,
  /**
   * All of them (webhook); a network event's but its IPs (computed on read); undefined for an audit event, whose
   * indicators are all computed on read.
   */
  indicators: Indicators | NetworkIndicators | undefined, context: ParseContext,
): Extract<TailscaleEvent, { p_log_type: L }> {
  const out: RawObject = {};
  if (envelope !== undefined) {
    if (typeof envelope.time === 'number') out.time = envelope.time;
    else if (times.envelopeMs !== undefined) out.time = times.envelopeMs / 1000;
  }
  out.event = data;
  const fields = envelope?.fields;
  if (isRawObject(fields) && (fields.recorded === undefined || typeof fields.recorded === 'string')) out.fields = fields;
  out.p_log_type = logType;
  out.p_event_time = msToRfc3339(times.eventMs);
  out.p_parse_time = parseTime(times.parseMs);
  out.p_row_id = nextRowId();
  out.p_source_id = context.sourceId;
  out.p_source_label = context.sourceLabel;
  out.p_tailnet = context.tailnet;
  if (indicators === undefined) {
    out.p_any_ip_addresses = [];
    for (const key of AUDIT_INDICATORS) Object.defineProperty(out, key, LAZY_AUDIT_INDICATORS[key]);
  } else {
    if ('p_any_ip_addresses' in indicators) out.p_any_ip_addresses = indicators.p_any_ip_addresses;
    else Object.defineProperty(out, 'p_any_ip_addresses', LAZY_NETWORK_IPS);
    out.p_any_emails = indicators.p_any_emails;
    out.p_any_actor_ids = indicators.p_any_actor_ids;
    out.p_any_usernames = indicators.p_any_usernames;
    out.p_any_domain_names = indicators.p_any_domain_names;
  }
  return out as unknown as Extract<TailscaleEvent, { p_log_type: L }>;
}
