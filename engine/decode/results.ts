// Builders for decode results, so every reject carries the same position and bounded raw text.
import type { DecodedRecord, RecordPosition, RejectedRecord, RejectReason } from './types.ts';

/** How much of an offending record a reject keeps as text. */
export const RAW_MAX_BYTES = 1024;

export function accepted(value: unknown, position: RecordPosition): DecodedRecord {
  return { ok: true, value, position };
}

export function rejected(reason: RejectReason, detail: string, position: RecordPosition, raw: string): RejectedRecord {
  return { ok: false, reason, message: `${position.source}:${position.line}: ${detail}`, position, raw };
}

/** The first RAW_MAX_BYTES of bytes[start, end) as text. */
export function rawText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, Math.min(end, start + RAW_MAX_BYTES));
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
