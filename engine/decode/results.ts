// Builders for decode results, so every reject carries the same position and bounded raw text.
import { isBlank } from './bytes.ts';
import type { JsonScanner } from './json-scanner.ts';
import type { DecodedRecord, DecodeResult, RecordPosition, RejectedRecord, RejectReason } from './types.ts';

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

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The result for a value the scanner delimited as bytes[start, end): parsed, or why not. */
export function scannedRecord(bytes: Buffer, start: number, end: number, position: RecordPosition, scanner: JsonScanner, maxDepth: number): DecodeResult {
  while (end > start && isBlank(bytes[end - 1])) end--;
  if (scanner.tooDeep) return rejected('too_deep', `nesting deeper than maxDepth (${maxDepth})`, position, rawText(bytes, start, end));
  if (scanner.error !== '') return rejected('invalid_json', `invalid JSON: ${scanner.error}`, position, rawText(bytes, start, end));
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end));
  } catch (error) {
    return rejected('invalid_json', `invalid JSON: ${(error as Error).message}`, position, rawText(bytes, start, end));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return accepted(value, position);
  return rejected('not_an_object', `record is ${describeJsonType(value)}, not a JSON object`, position, rawText(bytes, start, end));
}
