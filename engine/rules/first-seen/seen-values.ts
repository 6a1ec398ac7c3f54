// The values one first-seen rule has seen, per tailnet and group, each with its last sighting (event time); the
// stateful half of the kind, kept on the main thread and applied in input order (docs/rules.md, "First-seen rules").
// Exact up to the cap; past it the least recently observed value is forgotten (LRU, to within 1/64 of the horizon),
// so the only error the cap allows is a value seen again within the horizon firing again (never a new value missed).

const MS_PER_DAY = 86_400_000;
/** A value seen again within this share of the horizon keeps its place in the LRU order (its time is still updated). */
const REORDER_SHARE = 1 / 64;
export const DEFAULT_MAX_VALUES = 100_000;

/** What an observation was: new (with the previous sighting, if beyond the horizon), already known, or learned. */
export type Sighting = { readonly kind: 'new'; readonly lastSeenMs: number | undefined } | { readonly kind: 'known' | 'learned' };

const KNOWN: Sighting = Object.freeze({ kind: 'known' });
const LEARNED: Sighting = Object.freeze({ kind: 'learned' });
const NEVER_SEEN: Sighting = Object.freeze({ kind: 'new', lastSeenMs: undefined });

export interface SeenValuesSnapshot {
  /** Each tailnet's first observation: its learning period starts there. */
  learningFrom: [string, number][];
  /** Value key and last sighting, least recently observed first. */
  seen: [string, number][];
}

export interface SeenCounts {
  observations: number;
  firstSeen: number;
  learned: number;
  /** Forgotten at the cap while still within the horizon (each may fire again if seen again). */
  evicted: number;
  /** Forgotten because their horizon had passed. */
  expired: number;
}

export class SeenValues {
  readonly #horizonMs: number;
  readonly #learningMs: number;
  readonly #max: number;
  readonly #reorderMs: number;
  /** Nothing has expired before this event time (the front value's horizon end): most sightings skip the check. */
  #nextExpiryMs = -Infinity;
  /** key → last sighting; Map order is observation order, so the first entry is the least recently observed. */
  #seen = new Map<string, number>();
  #learningFrom = new Map<string, number>();
  readonly counts: SeenCounts = { observations: 0, firstSeen: 0, learned: 0, evicted: 0, expired: 0 };

  constructor(window: { horizonDays: number; learningDays: number; maxValues?: number | undefined }) {
    this.#horizonMs = window.horizonDays * MS_PER_DAY;
    this.#learningMs = window.learningDays * MS_PER_DAY;
    this.#max = window.maxValues ?? DEFAULT_MAX_VALUES;
    this.#reorderMs = this.#horizonMs * REORDER_SHARE;
  }

  get size(): number {
    return this.#seen.size;
  }

  /** Records a sighting of `key` (unique per tailnet and group) at `t`; `learnOnly` never reports it new. */
  observe(tailnet: string, key: string, t: number, learnOnly: boolean): Sighting {
    this.counts.observations += 1;
    let learningFrom = this.#learningFrom.get(tailnet);
    if (learningFrom === undefined) this.#learningFrom.set(tailnet, (learningFrom = t));
    const last = this.#seen.get(key);
    const sighting = last !== undefined && t - last <= this.#horizonMs ? KNOWN : learnOnly || t < learningFrom + this.#learningMs ? LEARNED : newSighting(last);
    if (last === undefined) {
      this.#seen.set(key, t);
    } else if (t > last) {
      // Moving a value to the back costs a delete; a value seen again soon only gets its new time.
      if (t - last > this.#reorderMs) this.#seen.delete(key);
      this.#seen.set(key, t);
    }
    if (sighting === LEARNED) this.counts.learned += 1;
    else if (sighting !== KNOWN) this.counts.firstSeen += 1;
    if (t > this.#nextExpiryMs || this.#seen.size > this.#max) this.#forget(t);
    return sighting;
  }

  exportState(): SeenValuesSnapshot {
    return { learningFrom: [...this.#learningFrom], seen: [...this.#seen] };
  }

  importState(state: SeenValuesSnapshot | undefined): void {
    this.#learningFrom = new Map(state?.learningFrom ?? []);
    this.#seen = new Map(state?.seen ?? []);
    this.#nextExpiryMs = -Infinity;
  }

  /** Values past their horizon go from the front; at the cap, so do the least recently observed. */
  #forget(t: number): void {
    for (const [key, last] of this.#seen) {
      if (t - last > this.#horizonMs) this.counts.expired += 1;
      else if (this.#seen.size > this.#max) this.counts.evicted += 1;
      else {
        this.#nextExpiryMs = last + this.#horizonMs;
        return;
      }
      this.#seen.delete(key);
    }
    this.#nextExpiryMs = -Infinity;
  }
}

function newSighting(lastSeenMs: number | undefined): Sighting {
  return lastSeenMs === undefined ? NEVER_SEEN : { kind: 'new', lastSeenMs };
}
