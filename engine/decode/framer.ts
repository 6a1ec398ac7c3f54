// Incremental framing: bytes in, one DecodeResult per record out. NDJSON, concatenated JSON values and
// top-level JSON arrays (each element a record). Fast path: a record that ends at a line break or at a `}{`
// (HEC bodies) and that JSON.parse accepts; anything else (pretty-printed values, `}{` inside strings, garbage)
// goes through JsonScanner.
import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, CR, LF, OPEN_BRACE, OPEN_BRACKET, SPACE, TAB, isBlank } from './bytes.ts';
import { DelimiterSearch } from './delimiter-search.ts';
import { exceedsDepth } from './depth.ts';
import type { Framer, FramerOptions, FramerWork, OnResult } from './framer-types.ts';
import { JsonScanner } from './json-scanner.ts';
import { resolveLimits } from './limits.ts';
import { accepted, rawText, rejected, scannedRecord } from './results.ts';
import type { DecodeResult, RecordPosition } from './types.ts';

export type { Framer, FramerOptions, FramerWork, OnResult } from './framer-types.ts';

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
  readonly work: FramerWork = { searchedBytes: 0, copiedBytes: 0, scannedRecords: 0 };
  /** Where the fast path looks for the end of a record. */
  readonly #lineBreaks = new DelimiterSearch(LF, this.work);
  readonly #joins = new DelimiterSearch(CONCATENATED, this.work);
  // The record being scanned across pushes.
  #scanning = false;
  #recOffset = 0;
  #recLine = 0;
  #scanAt = 0;
  /** Over maxRecordBytes: its bytes are dropped as they are scanned, only the head is kept for `raw`. */
  #skipping = false;
  #rawHead = '';

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

  push(chunk: Uint8Array): DecodeResult[];
  push(chunk: Uint8Array, onResult: OnResult): void;
  push(chunk: Uint8Array, onResult?: OnResult): DecodeResult[] | void {
    if (this.#ended) throw new Error(`framer for ${this.#source}: push() after end()`);
    const results: DecodeResult[] = [];
    if (chunk.length === 0) return onResult === undefined ? results : undefined;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const owned = this.#data.length > 0;
    if (owned) {
      this.work.copiedBytes += this.#data.length + bytes.length;
      this.#data = Buffer.concat([this.#data, bytes]);
    } else {
      this.#data = bytes;
    }
    this.#drain(false, onResult ?? ((result) => results.push(result)));
    this.#retain(owned);
    return onResult === undefined ? results : undefined;
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

  end(): DecodeResult[];
  end(onResult: OnResult): void;
  end(onResult?: OnResult): DecodeResult[] | void {
    const results: DecodeResult[] = [];
    if (!this.#ended) {
      this.#drain(true, onResult ?? ((result) => results.push(result)));
      this.#ended = true;
      this.#data = EMPTY;
    }
    return onResult === undefined ? results : undefined;
  }

  #drain(final: boolean, emit: OnResult): void {
    for (;;) {
      if (this.#scanning) {
        if (!this.#scanStep(final, emit)) break;
        continue;
      }
      if (!this.#skipSeparators(final)) break;
      if (this.#data[this.#pos - this.#base] === OPEN_BRACE) {
        const outcome = this.#tryLine(final, emit);
        if (outcome === LINE_DONE) continue;
        if (outcome === LINE_WAIT) break;
      }
      // The fast path may have taken records off the front of the line: scan from where it stopped.
      this.#beginScan(this.#data[this.#pos - this.#base]!);
    }
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
  #tryLine(final: boolean, emit: OnResult): number {
    for (;;) {
      const data = this.#data;
      const start = this.#pos - this.#base;
      const newline = this.#lineBreaks.next(data, this.#base, this.#pos);
      // The `}` of the next `}{`: HEC bodies concatenate records.
      const join = this.#joins.next(data, this.#base, this.#pos);
      if (join >= 0 && (newline < 0 || join < newline)) {
        if (!this.#parseRecord(start, join + 1, emit)) return LINE_SCAN;
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
      if (data[end - 1] !== CLOSE_BRACE || !this.#parseRecord(start, end, emit)) return LINE_SCAN;
      return LINE_DONE;
    }
  }

  /** Emits data[start, end) when JSON.parse accepts it as one record; false (nothing consumed) otherwise. */
  #parseRecord(start: number, end: number, emit: OnResult): boolean {
    if (end - start > this.#maxRecordBytes) return false;
    const data = this.#data;
    let value: object;
    try {
      value = JSON.parse(data.toString('utf8', start, end)) as object;
    } catch {
      return false;
    }
    const position = this.#position(this.#pos, this.#line);
    this.#pos = this.#checkpoint = this.#base + end;
    emit(exceedsDepth(value, this.#maxDepth)
      ? rejected('too_deep', `nesting deeper than maxDepth (${this.#maxDepth})`, position, rawText(data, start, end))
      : accepted(value, position));
    return true;
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
  #scanStep(final: boolean, emit: OnResult): boolean {
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
        if (this.#rejectFirstLine(data, data.length, emit)) return true;
        const size = this.#scanAt - this.#recOffset;
        const truncated = rejected('truncated', `input ends inside a record (${size} bytes read)`,
          this.#position(this.#recOffset, this.#recLine), rawText(data, this.#recOffset - base, data.length));
        this.#finishRecord(this.#scanAt);
        emit(truncated);
        return true;
      }
    }
    const endAt = stop < 0 ? base + data.length : base + stop;
    if (scanner.error !== '' && !scanner.tooDeep && !this.#skipping && this.#rejectFirstLine(data, endAt - base, emit)) return true;
    const result = this.#judge(data, endAt);
    this.#finishRecord(endAt);
    emit(result);
    return true;
  }

  /**
   * A value that breaks, or is cut off, on a later line than the one it starts on: only that first line is rejected
   * and framing resumes on the next line, so a broken NDJSON line never swallows the good lines after it.
   * False (nothing done) when the value does not reach past its first line; `end` is where its scan stopped.
   */
  #rejectFirstLine(data: Buffer, end: number, emit: OnResult): boolean {
    const start = this.#recOffset - this.#base;
    const lineEnd = data.indexOf(LF, start);
    if (lineEnd < 0 || lineEnd >= end) return false;
    let next = lineEnd + 1;
    while (next < end && isBlank(data[next])) next++;
    if (next === end) return false;
    let last = lineEnd;
    while (last > start && isBlank(data[last - 1])) last--;
    const result = rejected('invalid_json', 'invalid JSON: the line ends before the value is complete',
      this.#position(this.#recOffset, this.#recLine), rawText(data, start, last));
    this.#scanning = false;
    this.#pos = this.#checkpoint = this.#base + lineEnd;
    this.#line = this.#checkpointLine = this.#recLine;
    emit(result);
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
