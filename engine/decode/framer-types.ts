// The framer's interface: options in, results out (returned per push, or handed over one by one), and its costs.
import type { DecodeLimits, DecodeResult } from './types.ts';

export interface FramerOptions {
  /** Names the input in positions and messages (file path, `stdin`, `hec:<id>`, `s3://...`). */
  source: string;
  limits?: Partial<DecodeLimits>;
  /** Offset of the first pushed byte in the whole stream (resuming from a checkpoint). */
  startOffset?: number;
  /** Line number of the first pushed byte (resuming from a checkpoint). */
  startLine?: number;
}

/** Receives each result as soon as its record is framed (the framer's state is consistent at that point). */
export type OnResult = (result: DecodeResult) => void;

export interface Framer {
  push(chunk: Uint8Array): DecodeResult[];
  /** Hands each result to onResult as it is framed, so it can be handled while its bytes and objects are hot. */
  push(chunk: Uint8Array, onResult: OnResult): void;
  /** Flushes what is left: a record cut off by the end of input is rejected as `truncated`. */
  end(): DecodeResult[];
  end(onResult: OnResult): void;
  /** Byte offset just past the last record or reject emitted: a safe checkpoint. */
  readonly consumedOffset: number;
  /** Line number at consumedOffset. */
  readonly consumedLine: number;
  /** What framing cost so far: lets tests check that the work stays linear in the input. */
  readonly work: Readonly<FramerWork>;
}

export interface FramerWork {
  /** Bytes covered by the line-break and `}{` searches (each byte once per search at most). */
  searchedBytes: number;
  /** Bytes copied to keep a record that spans pushes. */
  copiedBytes: number;
  /** Records delimited by the byte-by-byte scanner rather than the fast path. */
  scannedRecords: number;
}
