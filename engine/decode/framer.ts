// Incremental framing: bytes in, one DecodeResult per record out. NDJSON, concatenated JSON values and
// top-level JSON arrays (each element a record). Fast path: a record that ends at a line break or at a `}{`
// (HEC bodies) and that JSON.parse accepts; anything else (pretty-printed values, `}{` inside strings, garbage)
// goes through JsonScanner.
import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, CR, LF, OPEN_BRACE, OPEN_BRACKET, SPACE, TAB, isBlank } from './bytes.ts';
import { exceedsDepth } from './depth.ts';
import { JsonScanner } from './json-scanner.ts';
import { resolveLimits } from './limits.ts';
import { accepted, rawText, rejected, scannedRecord } from './results.ts';
import type { DecodeLimits, DecodeResult, RecordPosition } from './types.ts';

export interface FramerOptions {
  /** Names the input in positions and messages (file path, `stdin`, `hec:<id>`, `s3://...`). */
  source: string;
  limits?: Partial<DecodeLimits>;
  /** Offset of the first pushed byte in the whole stream (resuming from a checkpoint). */
  startOffset?: number;
  /** Line number of the first pushed byte (resuming from a checkpoint). */
  startLine?: number;
}

export interface Framer {
  push(chunk: Uint8Array): DecodeResult[];
  /** Flushes what is left: a record cut off by the end of input is rejected as `truncated`. */
  end(): DecodeResult[];
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

export function createFramer(options: FramerOptions): Framer {
  return new JsonFramer(options);
}

const BOM = [0xef, 0xbb, 0xbf] as const;
const EMPTY = Buffer.alloc(0);
const CONCATENATED = Buffer.from('}{');

const LINE_DONE = 0;
const LINE_WAIT = 1;
const LINE_SCAN = 2;

class JsonFramer implements Framer {
  readonly #source: string;
  readonly #maxRecordBytes: number;
  readonly #maxDepth: number;
  readonly #scanner: JsonScanner;
  /** Bytes not yet consumed; #data[0] is at stream offset #base. */
  #data: Buffer = EMPTY;
  #base: number;
  /** Next byte to look at when no record is being scanned. */
  #pos: number;
  #line: number;
  #checkpoint: number;
  #checkpointLine: number;
  #inArray = false;
  #ended = false;
  /** Stream offset of the next known LF (valid while >= #pos), and the offset up to which none is known to exist. */
  #lineBreakAt = -1;
  #noLineBreakBefore = 0;
  /** The same for the next `}{` (the stream offset of its `}`). */
  #joinAt = -1;
  #noJoinBefore = 0;
  // The record being scanned across pushes.
  #scanning = false;
  #recOffset = 0;
  #recLine = 0;
  #scanAt = 0;
  /** Over maxRecordBytes: its bytes are dropped as they are scanned, only the head is kept for `raw`. */
  #skipping = false;
  #rawHead = '';
  readonly work: FramerWork = { searchedBytes: 0, copiedBytes: 0, scannedRecords: 0 };

  constructor(options: FramerOptions) {
    const limits = resolveLimits(options.limits);
    this.#source = options.source;
    this.#maxRecordBytes = limits.maxRecordBytes;
    this.#maxDepth = limits.maxDepth;
    this.#scanner = new JsonScanner(limits.maxDepth);
    this.#base = this.#pos = this.#checkpoint = options.startOffset ?? 0;
    this.#line = this.#checkpointLine = options.startLine ?? 1;
  }

  get consumedOffset(): number {
    return this.#checkpoint;
  }

  get consumedLine(): number {
    return this.#checkpointLine;
  }

  push(chunk: Uint8Array): DecodeResult[] {
    if (this.#ended) throw new Error(`framer for ${this.#source}: push() after end()`);
    if (chunk.length === 0) return [];
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const owned = this.#data.length > 0;
    if (owned) {
      this.work.copiedBytes += this.#data.length + bytes.length;
      this.#data = Buffer.concat([this.#data, bytes]);
    } else {
      this.#data = bytes;
    }
    const results = this.#drain(false);
    this.#retain(owned);
    return results;
  }

  /** Keeps only the bytes still needed, never a view of the caller's chunk (it may reuse that memory). */
  #retain(owned: boolean): void {
    const keepFrom = this.#scanning ? (this.#skipping ? this.#scanAt : this.#recOffset) : this.#pos;
    const index = keepFrom - this.#base;
    if (index >= this.#data.length) this.#data = EMPTY;
    else if (index > 0 || !owned) {
      this.work.copiedBytes += this.#data.length - index;
      this.#data = Buffer.from(this.#data.subarray(index));
    }
    this.#base = keepFrom;
  }

  end(): DecodeResult[] {
    if (this.#ended) return [];
    const results = this.#drain(true);
    this.#ended = true;
    this.#data = EMPTY;
    return results;
  }

  #drain(final: boolean): DecodeResult[] {
    const out: DecodeResult[] = [];
    for (;;) {
      if (this.#scanning) {
        if (!this.#scanStep(final, out)) break;
        continue;
      }
      if (!this.#skipSeparators(final)) break;
      if (this.#data[this.#pos - this.#base] === OPEN_BRACE) {
        const outcome = this.#tryLine(final, out);
        if (outcome === LINE_DONE) continue;
        if (outcome === LINE_WAIT) break;
      }
      // The fast path may have taken records off the front of the line: scan from where it stopped.
      this.#beginScan(this.#data[this.#pos - this.#base]!);
    }
    return out;
  }

  /** Skips blanks, BOMs and array punctuation; false when no record starts in the data so far. */
  #skipSeparators(final: boolean): boolean {
    const data = this.#data;
    const n = data.length;
    let i = this.#pos - this.#base;
    let line = this.#line;
    let more = false;
    for (; i < n; i++) {
      const c = data[i]!;
      if (c === LF) line++;
      else if (c === SPACE || c === TAB || c === CR || c === COMMA) continue;
      else if (c === OPEN_BRACKET && !this.#inArray) this.#inArray = true;
      // A stray `]` is harmless: it is also what a reader resumed inside an array meets.
      else if (c === CLOSE_BRACKET) this.#inArray = false;
      else if (c === BOM[0] && i + 2 >= n && !final) break;
      else if (c === BOM[0] && data[i + 1] === BOM[1] && data[i + 2] === BOM[2]) i += 2;
      else {
        more = true;
        break;
      }
    }
    this.#pos = this.#checkpoint = this.#base + i;
    this.#line = this.#checkpointLine = line;
    return more;
  }

  /**
   * The fast path: the record at #pos ends at the next `}{` (HEC bodies concatenate records) or at the end of its
   * line, and JSON.parse accepts it. A `}{` inside a string fails the parse: the scanner then takes that record.
   * Each byte is searched at most once for each of LF and `}{`, so long bodies without line breaks stay linear.
   */
  #tryLine(final: boolean, out: DecodeResult[]): number {
    for (;;) {
      const data = this.#data;
      const start = this.#pos - this.#base;
      const newline = this.#nextLineBreak();
      const join = this.#nextJoin();
      if (join >= 0 && (newline < 0 || join < newline)) {
        if (!this.#parseRecord(start, join + 1, out)) return LINE_SCAN;
        continue;
      }
      // Without a line break yet, a one-line array or an oversized record is scanned as it comes; NDJSON waits.
      if (newline < 0 && !final) return this.#inArray || data.length - start > this.#maxRecordBytes ? LINE_SCAN : LINE_WAIT;
      let end = newline < 0 ? data.length : newline;
      while (isBlank(data[end - 1])) end--;
      if (this.#inArray && (data[end - 1] === COMMA || data[end - 1] === CLOSE_BRACKET)) {
        end--;
        while (isBlank(data[end - 1])) end--;
      }
      if (data[end - 1] !== CLOSE_BRACE || !this.#parseRecord(start, end, out)) return LINE_SCAN;
      return LINE_DONE;
    }
  }

  /** Emits data[start, end) when JSON.parse accepts it as one record; false (nothing consumed) otherwise. */
  #parseRecord(start: number, end: number, out: DecodeResult[]): boolean {
    if (end - start > this.#maxRecordBytes) return false;
    const data = this.#data;
    let value: object;
    try {
      value = JSON.parse(data.toString('utf8', start, end)) as object;
    } catch {
      return false;
    }
    const position = this.#position(this.#pos, this.#line);
    out.push(exceedsDepth(value, this.#maxDepth)
      ? rejected('too_deep', `nesting deeper than maxDepth (${this.#maxDepth})`, position, rawText(data, start, end))
      : accepted(value, position));
    this.#pos = this.#checkpoint = this.#base + end;
    return true;
  }

  /** Index of the first LF at or after #pos, or -1; remembers how far it looked so that no byte is searched twice. */
  #nextLineBreak(): number {
    if (this.#lineBreakAt >= this.#pos) return this.#lineBreakAt - this.#base;
    const data = this.#data;
    const from = Math.max(this.#pos, this.#noLineBreakBefore) - this.#base;
    const index = data.indexOf(LF, from);
    this.work.searchedBytes += (index < 0 ? data.length : index + 1) - from;
    if (index < 0) this.#noLineBreakBefore = this.#base + data.length;
    else this.#lineBreakAt = this.#base + index;
    return index;
  }

  /** Index of the `}` of the first `}{` at or after #pos, or -1; remembered like #nextLineBreak. */
  #nextJoin(): number {
    if (this.#joinAt >= this.#pos) return this.#joinAt - this.#base;
    const data = this.#data;
    const from = Math.max(this.#pos, this.#noJoinBefore) - this.#base;
    const index = data.indexOf(CONCATENATED, from);
    this.work.searchedBytes += (index < 0 ? data.length - 1 : index + 1) - from;
    // The last byte may be the `}` of a `}{` that the next chunk completes.
    if (index < 0) this.#noJoinBefore = this.#base + data.length - 1;
    else this.#joinAt = this.#base + index;
    return index;
  }

  #beginScan(first: number): void {
    this.work.scannedRecords += 1;
    this.#scanner.begin(first, this.#inArray);
    this.#scanning = true;
    this.#recOffset = this.#scanAt = this.#pos;
    this.#recLine = this.#line;
    this.#skipping = false;
    this.#rawHead = '';
  }

  /** Scans on through the data so far; true when the record was completed (and emitted). */
  #scanStep(final: boolean, out: DecodeResult[]): boolean {
    const data = this.#data;
    const base = this.#base;
    const scanner = this.#scanner;
    const stop = scanner.scan(data, this.#scanAt - base, data.length);
    if (stop < 0) {
      this.#scanAt = base + data.length;
      if (!this.#skipping && this.#scanAt - this.#recOffset > this.#maxRecordBytes) {
        this.#skipping = true;
        this.#rawHead = rawText(data, this.#recOffset - base, data.length);
      }
      if (!final) return false;
      if (!scanner.completeAtEnd() && !this.#skipping) {
        const size = this.#scanAt - this.#recOffset;
        out.push(rejected('truncated', `input ends inside a record (${size} bytes read)`,
          this.#position(this.#recOffset, this.#recLine), rawText(data, this.#recOffset - base, data.length)));
        this.#finishRecord(this.#scanAt);
        return true;
      }
    }
    const endAt = stop < 0 ? base + data.length : base + stop;
    out.push(this.#judge(data, endAt));
    this.#finishRecord(endAt);
    return true;
  }

  /** The result for the scanned record [#recOffset, endAt). */
  #judge(data: Buffer, endAt: number): DecodeResult {
    const position = this.#position(this.#recOffset, this.#recLine);
    const start = this.#recOffset - this.#base;
    const end = endAt - this.#base;
    if (this.#skipping || endAt - this.#recOffset > this.#maxRecordBytes) {
      const raw = this.#skipping ? this.#rawHead : rawText(data, start, end);
      return rejected('too_large', `record larger than maxRecordBytes (${this.#maxRecordBytes})`, position, raw);
    }
    return scannedRecord(data, start, end, position, this.#scanner, this.#maxDepth);
  }

  #finishRecord(endAt: number): void {
    this.#scanning = false;
    this.#skipping = false;
    this.#rawHead = '';
    this.#pos = this.#checkpoint = endAt;
    this.#line = this.#checkpointLine = this.#recLine + this.#scanner.lines;
  }

  #position(offset: number, line: number): RecordPosition {
    return { source: this.#source, line, offset };
  }
}
