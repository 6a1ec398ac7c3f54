// Small per-group lists (a group's top contributors, a distinct group's items) in shared chunks instead of one Map or
// array per group. A list starts with one entry and doubles up to its cap, moving to a block of the next size class;
// each entry is a string and a few numbers. A list is addressed by a ref: block index × 32 + size class.
import { GenerationCache } from '../schemas/generation-cache.ts';

const CLASS_BITS = 5;
const CLASS_MASK = (1 << CLASS_BITS) - 1;
/** Entries per chunk (at least one block of the largest class). */
const CHUNK_ENTRIES = 1024;

export const NO_LIST = -1;

class SizeClass {
  readonly capacity: number;
  readonly blocksPerChunk: number;
  readonly keys: (string | undefined)[][] = [];
  readonly floats: Float64Array[] = [];
  readonly ints: Int32Array[] = [];
  readonly free: number[] = [];
  next = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.blocksPerChunk = Math.max(1, Math.floor(CHUNK_ENTRIES / capacity));
  }
}

/** Where one list's entries are: entry i is keys[at + i], floats[(at + i) × floatFields + f], ints[(at + i) × intFields + f]. */
export interface ListCursor {
  keys: (string | undefined)[];
  floats: Float64Array;
  ints: Int32Array;
  at: number;
  capacity: number;
}

export class EntryLists {
  readonly floatFields: number;
  readonly intFields: number;
  readonly #classes: SizeClass[] = [];
  /** Strings stored in entries: the same text is one string, however many groups hold it. */
  readonly #strings = new GenerationCache<string, string>(4096);
  /** Reused by open(): one list is read or written at a time. */
  readonly #cursor: ListCursor = { keys: [], floats: new Float64Array(0), ints: new Int32Array(0), at: 0, capacity: 0 };

  constructor(cap: number, floatFields: number, intFields: number) {
    this.floatFields = floatFields;
    this.intFields = intFields;
    for (let capacity = 1; ; capacity *= 2) {
      this.#classes.push(new SizeClass(Math.min(capacity, cap)));
      if (capacity >= cap) break;
    }
  }

  /** The largest length a list can grow to. */
  get cap(): number {
    return this.#classes[this.#classes.length - 1]!.capacity;
  }

  /** The string to store for `text`: an earlier equal one if there is one at hand. */
  intern(text: string): string {
    return this.#strings.get(text, identity);
  }

  /** A new, empty list with room for one entry. */
  allocate(sizeClass = 0): number {
    const c = this.#classes[sizeClass]!;
    const block = c.free.pop() ?? c.next++;
    const chunk = Math.floor(block / c.blocksPerChunk);
    if (chunk === c.keys.length) {
      const entries = c.blocksPerChunk * c.capacity;
      c.keys.push(new Array<string | undefined>(entries).fill(undefined));
      c.floats.push(new Float64Array(entries * this.floatFields));
      c.ints.push(new Int32Array(entries * this.intFields));
    }
    return block * (CLASS_MASK + 1) + sizeClass;
  }

  release(ref: number): void {
    if (ref === NO_LIST) return;
    const c = this.#classes[ref & CLASS_MASK]!;
    const block = ref >>> CLASS_BITS;
    const cursor = this.open(ref);
    cursor.keys.fill(undefined, cursor.at, cursor.at + c.capacity);
    c.free.push(block);
  }

  /** The entries of list `ref` (valid until the next open()). */
  open(ref: number): ListCursor {
    const c = this.#classes[ref & CLASS_MASK]!;
    const block = ref >>> CLASS_BITS;
    const chunk = Math.floor(block / c.blocksPerChunk);
    const cursor = this.#cursor;
    cursor.keys = c.keys[chunk]!;
    cursor.floats = c.floats[chunk]!;
    cursor.ints = c.ints[chunk]!;
    cursor.at = (block - chunk * c.blocksPerChunk) * c.capacity;
    cursor.capacity = c.capacity;
    return cursor;
  }

  /** List `ref` with room for at least `length` + 1 entries (below the cap): the same ref, or a bigger copy of it. */
  reserve(ref: number, length: number): number {
    const sizeClass = ref & CLASS_MASK;
    if (length < this.#classes[sizeClass]!.capacity) return ref;
    const grown = this.allocate(sizeClass + 1);
    const from = this.open(ref);
    const { keys, floats, ints, at } = from;
    const to = this.open(grown);
    const F = this.floatFields;
    const I = this.intFields;
    for (let i = 0; i < length; i++) to.keys[to.at + i] = keys[at + i];
    to.floats.set(floats.subarray(at * F, (at + length) * F), to.at * F);
    to.ints.set(ints.subarray(at * I, (at + length) * I), to.at * I);
    this.release(ref);
    return grown;
  }
}

const identity = (text: string): string => text;
