// What the decode stage yields: raw JSON values with their position, or a rejected record alone.

/** Where a record came from, precise enough for a human to find it. */
export interface RecordPosition {
  /** File path, `stdin`, `hec:<request id>`, `s3://bucket/key`, ... */
  source: string;
  /** 1-based line of the record's first byte (of the decompressed stream). */
  line: number;
  /** Byte offset of the record's first byte in the decompressed stream. */
  offset: number;
}

export type RejectReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'schema_mismatch'
  | 'unknown_log_type'
  | 'invalid_time'
  | 'time_out_of_range'
  | 'too_deep'
  | 'too_large'
  | 'decompress_failed'
  | 'truncated';

export interface DecodedRecord {
  ok: true;
  value: unknown;
  position: RecordPosition;
}

export interface RejectedRecord {
  ok: false;
  reason: RejectReason;
  message: string;
  position: RecordPosition;
  /** The offending bytes as text, cut to a bounded length. */
  raw: string;
}

export type DecodeResult = DecodedRecord | RejectedRecord;

export interface DecodeLimits {
  /** A single record over this size is rejected (default 1 MiB). */
  maxRecordBytes: number;
  /** Nesting deeper than this is rejected (default 64). */
  maxDepth: number;
  /** A compressed input that inflates past this is refused (default 1 GiB). */
  maxDecompressedBytes: number;
}
