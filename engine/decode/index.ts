// Public decode API: bytes in (any framing, gzip/zstd/none), one DecodeResult per record out.
export { createFramer } from './framer.ts';
export type { Framer, FramerOptions, FramerWork, OnResult } from './framer.ts';
export { decodeBuffer } from './decode-buffer.ts';
export { decodeStream, decodeStreamEach } from './decode-stream.ts';
export type { ByteSource } from './decode-stream.ts';
export { detectCompression } from './compression.ts';
export type { Compression } from './compression.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export { RAW_MAX_BYTES } from './results.ts';
export type { DecodeLimits, DecodeResult, DecodedRecord, RecordPosition, RejectedRecord, RejectReason } from './types.ts';
