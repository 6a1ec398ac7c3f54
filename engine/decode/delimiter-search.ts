// Finds the next line break (or `}{` join) at or after a stream offset, remembering what it found and how far it
// looked, so that however often the framer asks, each byte is searched at most once.
import type { FramerWork } from './framer-types.ts';

export class DelimiterSearch {
  readonly #needle: number | Buffer;
  /** Bytes of the needle that can start before a chunk's end and finish in the next chunk. */
  readonly #overlap: number;
  readonly #work: FramerWork;
  /** Stream offset of the next known occurrence (valid while >= the position asked about). */
  #foundAt = -1;
  /** Stream offset up to which none is known to exist. */
  #noneBefore = 0;

  constructor(needle: number | Buffer, work: FramerWork) {
    this.#needle = needle;
    this.#overlap = typeof needle === 'number' ? 0 : needle.length - 1;
    this.#work = work;
  }

  /** Index in `data` (which starts at stream offset `base`) of the first occurrence at or after `pos`, or -1. */
  next(data: Buffer, base: number, pos: number): number {
    if (this.#foundAt >= pos) return this.#foundAt - base;
    const from = Math.max(pos, this.#noneBefore) - base;
    const index = data.indexOf(this.#needle, from);
    if (index < 0) {
      this.#noneBefore = base + data.length - this.#overlap;
      this.#work.searchedBytes += data.length - this.#overlap - from;
    } else {
      this.#foundAt = base + index;
      this.#work.searchedBytes += index + 1 - from;
    }
    return index;
  }
}
