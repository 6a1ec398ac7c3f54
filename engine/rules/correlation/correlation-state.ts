// The stateful part of one correlation rule: its hits per tailnet, kept for the window plus the allowed lateness,
// evaluated in event-time order once the rule's clock (the slowest watermark of its log types) has passed them by the
// lateness, so every match that can still count has arrived. Bounded (maxHits) and plain JSON for snapshots.
import type { CompiledCorrelationRule } from './compiled-correlation-rule.ts';
import { chainOf, compareTie, distinctRules, followed, sequenceChain } from './chain-search.ts';
import type { Hit } from './step-hits.ts';
import type { Chain } from './types.ts';

export const DEFAULT_MAX_HITS = 100_000;

export interface CorrelationCounts {
  hits: number;
  /** Matches later than the allowed lateness behind the rule's clock: dropped. */
  lateHits: number;
  /** Hits dropped, oldest first, at the cap. */
  evictedHits: number;
  chains: number;
}

export interface CorrelationSnapshot {
  hits: Hit[];
  counts: CorrelationCounts;
}

interface TailnetHits {
  /** Sorted by event time (ties keep arrival order: chain-search orders them itself). */
  hits: Hit[];
  /** Hits still to evaluate, by due time then content. */
  pending: Hit[];
}

/** A chain found, with the event time its match takes. */
export interface FoundChain {
  chain: Chain;
  eventTimeMs: number;
}

export class CorrelationState {
  readonly #rule: CompiledCorrelationRule;
  readonly #latenessMs: number;
  readonly #maxHits: number;
  #byTailnet = new Map<string, TailnetHits>();
  #size = 0;
  counts: CorrelationCounts = { hits: 0, lateHits: 0, evictedHits: 0, chains: 0 };

  constructor(rule: CompiledCorrelationRule, latenessMs: number, maxHits = DEFAULT_MAX_HITS) {
    this.#rule = rule;
    this.#latenessMs = latenessMs;
    this.#maxHits = maxHits;
  }

  get liveHits(): number {
    return this.#size;
  }

  /** Keeps the hit unless it is later than the lateness behind `clockMs` (then false: counted, dropped). */
  accept(hit: Hit, clockMs: number): boolean {
    if (hit.t + this.#latenessMs < clockMs) {
      this.counts.lateHits += 1;
      return false;
    }
    this.counts.hits += 1;
    hit.dueMs = this.#dueOf(hit);
    this.#insert(hit);
    while (this.#size > this.#maxHits) this.#evictOldest();
    return true;
  }

  /** True when a hit of `tailnet` is due before `clockMs` (most events: false, nothing allocated). */
  hasDue(tailnet: string, clockMs: number): boolean {
    const due = this.#byTailnet.get(tailnet)?.pending[0]?.dueMs;
    return due !== undefined && due !== null && due < clockMs;
  }

  /**
   * Evaluates the hits of `tailnet` due before `clockMs`, in due order, then forgets those the window has passed and
   * a sequence's evaluated last steps (never a candidate of another chain: busy last-step signals cannot crowd out
   * the earlier steps they would join).
   */
  settle(tailnet: string, clockMs: number, out: FoundChain[]): void {
    const held = this.#byTailnet.get(tailnet);
    if (held === undefined) return;
    while (held.pending.length > 0 && held.pending[0]!.dueMs! < clockMs) {
      const hit = held.pending.shift()!;
      this.#evaluate(held, hit, out);
      if (this.#rule.correlation.type === 'sequence') this.#forget(held, hit);
    }
    const horizon = clockMs - this.#rule.correlation.withinMs - this.#latenessMs;
    let expired = 0;
    while (expired < held.hits.length && held.hits[expired]!.t < horizon && held.hits[expired]!.dueMs === null) expired++;
    if (expired > 0) {
      held.hits.splice(0, expired);
      this.#size -= expired;
    }
    if (held.hits.length === 0) this.#byTailnet.delete(tailnet);
  }

  /**
   * End of a replay: evaluates what is still pending. An absence is decided only when its window has ended by the
   * tailnet's clock (`clockOf`); later ones stay undecided, as they would live until more data came.
   */
  settleAll(clockOf: (tailnet: string) => number, out: FoundChain[]): void {
    for (const [tailnet, held] of [...this.#byTailnet].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const clockMs = clockOf(tailnet);
      for (const hit of held.pending) {
        if (this.#rule.correlation.type !== 'absence' || hit.t + this.#rule.correlation.withinMs <= clockMs) this.#evaluate(held, hit, out, false);
      }
      held.pending = [];
    }
    this.#byTailnet.clear();
    this.#size = 0;
  }

  exportState(): CorrelationSnapshot {
    const hits: Hit[] = [];
    for (const held of this.#byTailnet.values()) hits.push(...held.hits);
    return { hits, counts: { ...this.counts } };
  }

  importState(snapshot: CorrelationSnapshot | undefined): void {
    this.#byTailnet.clear();
    this.#size = 0;
    this.counts = { hits: 0, lateHits: 0, evictedHits: 0, chains: 0, ...snapshot?.counts };
    for (const hit of snapshot?.hits ?? []) this.#insert(hit);
  }

  #dueOf(hit: Hit): number | null {
    const { type, steps, withinMs } = this.#rule.correlation;
    if (type === 'sequence') return hit.step === steps.length - 1 ? hit.t + this.#latenessMs : null;
    if (type === 'absence') return hit.step === 0 ? hit.t + withinMs + this.#latenessMs : null;
    return hit.t + this.#latenessMs;
  }

  #insert(hit: Hit): void {
    let held = this.#byTailnet.get(hit.tailnet);
    if (held === undefined) this.#byTailnet.set(hit.tailnet, (held = { hits: [], pending: [] }));
    insertBy(held.hits, hit, (a, b) => a.t - b.t);
    if (hit.dueMs !== null) insertBy(held.pending, hit, (a, b) => a.dueMs! - b.dueMs! || a.t - b.t || compareTie(a, b));
    this.#size += 1;
  }

  #evaluate(held: TailnetHits, hit: Hit, out: FoundChain[], settled = true): void {
    if (settled) hit.dueMs = null;
    const { correlation } = this.#rule;
    let found: FoundChain | undefined;
    if (correlation.type === 'sequence') {
      const links = sequenceChain(correlation, held.hits, hit);
      if (links !== null) found = { chain: chainOf(correlation, links, correlation.on[correlation.on.length - 1]!), eventTimeMs: hit.t };
    } else if (correlation.type === 'absence') {
      if (!followed(correlation, held.hits, hit)) found = { chain: chainOf(correlation, [hit], correlation.on[0]!), eventTimeMs: hit.t + correlation.withinMs };
    } else {
      const links = distinctRules(correlation, held.hits, hit);
      if (links !== null) found = { chain: chainOf(correlation, links, correlation.on[0]!), eventTimeMs: hit.t };
    }
    if (found === undefined) return;
    this.counts.chains += 1;
    out.push(found);
  }

  #forget(held: TailnetHits, hit: Hit): void {
    const index = held.hits.lastIndexOf(hit);
    if (index < 0) return;
    held.hits.splice(index, 1);
    this.#size -= 1;
  }

  #evictOldest(): void {
    let oldest: TailnetHits | undefined;
    let oldestTailnet = '';
    for (const [tailnet, held] of this.#byTailnet) {
      if (oldest === undefined || held.hits[0]!.t < oldest.hits[0]!.t) {
        oldest = held;
        oldestTailnet = tailnet;
      }
    }
    if (oldest === undefined) return;
    const [hit] = oldest.hits.splice(0, 1);
    if (hit !== undefined && hit.dueMs !== null) oldest.pending.splice(oldest.pending.indexOf(hit), 1);
    this.#size -= 1;
    this.counts.evictedHits += 1;
    if (oldest.hits.length === 0) this.#byTailnet.delete(oldestTailnet);
  }
}

/** Inserts after every element that does not sort after it (from the end: hits mostly arrive in order). */
function insertBy<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  let i = list.length;
  while (i > 0 && compare(list[i - 1]!, item) > 0) i--;
  list.splice(i, 0, item);
}
