// Finds where one JSON value ends in a byte stream, incrementally, checking structure and depth.
// Scalars are not validated here: JSON.parse does that on the slice. A structural error turns the rest
// of the value into garbage that ends at the next line break or `{`, where the framer resynchronises.
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, CR, LF, OPEN_BRACE, OPEN_BRACKET, QUOTE, SPACE, TAB } from './bytes.ts';

const MODE_CONTAINER = 0;
const MODE_STRING = 1;
const MODE_BARE = 2;
const MODE_GARBAGE = 3;

const EXPECT_VALUE = 0;
const EXPECT_VALUE_OR_CLOSE = 1;
const EXPECT_KEY = 2;
const EXPECT_KEY_OR_CLOSE = 3;
const EXPECT_COLON = 4;
const EXPECT_COMMA_OR_CLOSE = 5;

const IN_OBJECT = 1;
const IN_ARRAY = 2;

function isTokenEnd(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || c === COMMA || c === COLON || c === QUOTE ||
    c === OPEN_BRACE || c === CLOSE_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACKET;
}

function show(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

export class JsonScanner {
  readonly #maxDepth: number;
  readonly #stack: Uint8Array;
  #mode = MODE_CONTAINER;
  #topArray = false;
  #depth = 0;
  #expect = EXPECT_VALUE;
  #inString = false;
  #escaped = false;
  #inToken = false;
  /** Line breaks inside the value so far. */
  lines = 0;
  tooDeep = false;
  /** Why the value is not valid JSON; empty while it looks fine. */
  error = '';

  constructor(maxDepth: number) {
    this.#maxDepth = maxDepth;
    this.#stack = new Uint8Array(maxDepth + 2);
  }

  /** Starts a value whose first byte is `first`; `inTopArray` when it is an element of a top-level array. */
  begin(first: number, inTopArray: boolean): void {
    this.#mode = first === OPEN_BRACE || first === OPEN_BRACKET ? MODE_CONTAINER : first === QUOTE ? MODE_STRING : MODE_BARE;
    this.#topArray = inTopArray;
    this.#depth = 0;
    this.#expect = EXPECT_VALUE;
    this.#inString = this.#escaped = this.#inToken = false;
    this.lines = 0;
    this.tooDeep = false;
    this.error = '';
  }

  /** Whether the end of input completes the value (true for bare tokens and garbage, false means truncated). */
  completeAtEnd(): boolean {
    return this.#mode === MODE_BARE || this.#mode === MODE_GARBAGE;
  }

  /** Scans data[from, to): the index just past the value, or -1 when the value continues past `to`. */
  scan(data: Uint8Array, from: number, to: number): number {
    switch (this.#mode) {
      case MODE_CONTAINER: return this.#scanContainer(data, from, to);
      case MODE_STRING: return this.#scanString(data, from, to);
      case MODE_BARE: return this.#scanBare(data, from, to);
      default: return this.#scanGarbage(data, from, to);
    }
  }

  #fail(data: Uint8Array, at: number, to: number, message: string): number {
    this.error = message;
    this.#mode = MODE_GARBAGE;
    return this.#scanGarbage(data, at, to);
  }

  #scanGarbage(data: Uint8Array, from: number, to: number): number {
    for (let i = from; i < to; i++) {
      const c = data[i]!;
      if (c === LF || c === OPEN_BRACE) return i;
    }
    return -1;
  }

  #scanBare(data: Uint8Array, from: number, to: number): number {
    const topArray = this.#topArray;
    for (let i = from; i < to; i++) {
      const c = data[i]!;
      if (c === LF || c === OPEN_BRACE || (topArray && (c === COMMA || c === CLOSE_BRACKET))) return i;
    }
    return -1;
  }

  #scanString(data: Uint8Array, from: number, to: number): number {
    const start = this.#inString ? from : from + 1;
    this.#inString = true;
    for (let i = start; i < to; i++) {
      const c = data[i]!;
      if (this.#escaped) this.#escaped = false;
      else if (c === BACKSLASH) this.#escaped = true;
      else if (c === QUOTE) return i + 1;
      else if (c < SPACE) return this.#fail(data, i, to, c === LF ? 'line break inside a string' : `control character ${show(c)} inside a string`);
    }
    return -1;
  }

  #scanContainer(data: Uint8Array, from: number, to: number): number {
    const maxDepth = this.#maxDepth;
    const stack = this.#stack;
    for (let i = from; i < to; i++) {
      const c = data[i]!;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
        else if (c < SPACE) return this.#fail(data, i, to, c === LF ? 'line break inside a string' : `control character ${show(c)} inside a string`);
        continue;
      }
      if (this.#inToken) {
        if (!isTokenEnd(c)) continue;
        this.#inToken = false;
      }
      if (this.#depth > maxDepth) {
        // Past the limit the value is rejected anyway: only find its end.
        if (c === QUOTE) this.#inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (--this.#depth === 0) return i + 1;
          if (this.#depth === maxDepth) this.#expect = EXPECT_COMMA_OR_CLOSE;
        } else if (c === LF) this.lines++;
        continue;
      }
      const expect = this.#expect;
      switch (c) {
        case SPACE: case TAB: case CR:
          continue;
        case LF:
          this.lines++;
          continue;
        case QUOTE:
          if (expect === EXPECT_KEY || expect === EXPECT_KEY_OR_CLOSE) this.#expect = EXPECT_COLON;
          else if (expect === EXPECT_VALUE || expect === EXPECT_VALUE_OR_CLOSE) this.#expect = EXPECT_COMMA_OR_CLOSE;
          else return this.#fail(data, i, to, this.#unexpected(c));
          this.#inString = true;
          continue;
        case OPEN_BRACE: case OPEN_BRACKET:
          if (expect !== EXPECT_VALUE && expect !== EXPECT_VALUE_OR_CLOSE) return this.#fail(data, i, to, this.#unexpected(c));
          if (++this.#depth > maxDepth) {
            this.tooDeep = true;
            continue;
          }
          stack[this.#depth] = c === OPEN_BRACE ? IN_OBJECT : IN_ARRAY;
          this.#expect = c === OPEN_BRACE ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
          continue;
        case CLOSE_BRACE: case CLOSE_BRACKET: {
          const kind = c === CLOSE_BRACE ? IN_OBJECT : IN_ARRAY;
          const emptyClose = kind === IN_OBJECT ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
          if (stack[this.#depth] !== kind || (expect !== EXPECT_COMMA_OR_CLOSE && expect !== emptyClose)) {
            return this.#fail(data, i, to, this.#unexpected(c));
          }
          if (--this.#depth === 0) return i + 1;
          this.#expect = EXPECT_COMMA_OR_CLOSE;
          continue;
        }
        case COLON:
          if (expect !== EXPECT_COLON) return this.#fail(data, i, to, this.#unexpected(c));
          this.#expect = EXPECT_VALUE;
          continue;
        case COMMA:
          if (expect !== EXPECT_COMMA_OR_CLOSE) return this.#fail(data, i, to, this.#unexpected(c));
          this.#expect = stack[this.#depth] === IN_OBJECT ? EXPECT_KEY : EXPECT_VALUE;
          continue;
        default:
          if (expect !== EXPECT_VALUE && expect !== EXPECT_VALUE_OR_CLOSE) return this.#fail(data, i, to, this.#unexpected(c));
          this.#inToken = true;
          this.#expect = EXPECT_COMMA_OR_CLOSE;
      }
    }
    return -1;
  }

  #unexpected(c: number): string {
    const wanted = ['a value', 'a value or \']\'', 'a property name', 'a property name or \'}\'', '\':\'',
      this.#stack[this.#depth] === IN_OBJECT ? '\',\' or \'}\'' : '\',\' or \']\''][this.#expect];
    return `unexpected ${show(c)}, expected ${wanted}`;
  }
}
