// A bounded memo for hot lookups of values that repeat (endpoints, labels). Entries go into the current generation;
// when it is full it becomes the previous one, whose entries move back to the current one when read, and the one
// before is dropped. At most two generations are kept, and nothing is scanned or sorted.
export class GenerationCache<K, V> {
  readonly #size: number;
  #recent = new Map<K, V>();
  #older = new Map<K, V>();

  constructor(generationSize: number) {
    this.#size = generationSize;
  }

  /** The cached value of `key`; on a miss, `compute(key)`, cached. */
  get(key: K, compute: (key: K) => V): V {
    let value = this.#recent.get(key);
    if (value !== undefined) return value;
    value = this.#older.get(key) ?? compute(key);
    if (this.#recent.size >= this.#size) {
      this.#older = this.#recent;
      this.#recent = new Map();
    }
    this.#recent.set(key, value);
    return value;
  }
}
