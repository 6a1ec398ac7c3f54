// Which delivery shape a raw value has and which log type its record is, judged by content alone
// (a stored p_log_type such as `Custom.TailscaleAudit` is not trusted).
import type { LogType } from './log-types.ts';

export type RawObject = Record<string, unknown>;

export function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Delivery {
  record: RawObject;
  /** The HEC / Panther-stored envelope around the record, if there was one. */
  envelope: RawObject | undefined;
}

/**
 * HEC `{time, event, fields}` and Panther-stored `{event, fields, time, p_*}` wrap the record in `event`; a Panther
 * rule test case (`{log, expectedResult}`, pypanther's `{Log, ExpectedResult}`) wraps a Panther-stored record.
 */
export function unwrap(value: RawObject): Delivery {
  const inner = value.event;
  if (isRawObject(inner)) return { record: inner, envelope: value };
  const stored = pantherTestLog(value);
  return stored === undefined ? { record: value, envelope: undefined } : unwrap(stored);
}

function pantherTestLog(value: RawObject): RawObject | undefined {
  const log = 'expectedResult' in value ? value.log : 'ExpectedResult' in value ? value.Log : undefined;
  return isRawObject(log) ? log : undefined;
}

export function classify(record: RawObject): LogType | undefined {
  if ('action' in record && 'actor' in record && 'target' in record) return 'Tailscale.Audit';
  if ('nodeId' in record && ('start' in record || 'end' in record || 'virtualTraffic' in record ||
    'subnetTraffic' in record || 'exitTraffic' in record || 'physicalTraffic' in record)) return 'Tailscale.Network';
  // After the others: an audit record may carry `type` too, but never `tailnet` and `version`.
  if ('timestamp' in record && 'type' in record && 'tailnet' in record && 'version' in record) return 'Tailscale.Webhook';
  return undefined;
}

/** A short description of a record that is neither log type, naming its first fields. */
export function describeUnknown(record: RawObject): string {
  const keys = Object.keys(record);
  const shown = keys.slice(0, 8).join(', ');
  return keys.length === 0 ? 'an empty object' : `an object with fields ${shown}${keys.length > 8 ? ', …' : ''}`;
}
