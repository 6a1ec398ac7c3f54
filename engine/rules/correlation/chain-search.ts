// What a correlation finds once a hit is due: pure functions of the hits held for its tailnet (sorted by time), so
// the result depends on which matches arrived within the lateness, never on their arrival order.
import { msToRfc3339 } from '../../schemas/time.ts';
import type { CompiledCorrelation } from './compiled-correlation-rule.ts';
import type { Hit } from './step-hits.ts';
import type { Chain, ChainLink, JoinKey } from './types.ts';

/** Candidates examined per due hit, at most: a sequence over many matching hits stops there (counted as exhausted). */
export const MAX_CANDIDATES = 10_000;

/** Hits later first; at the same time by rule and keys, so the chain chosen never depends on arrival order. */
function laterFirst(a: Hit, b: Hit): number {
  return b.t - a.t || compareTie(a, b);
}

export function compareTie(a: Hit, b: Hit): number {
  const x = tieOf(a);
  const y = tieOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function tieOf(hit: Hit): string {
  return `${hit.step}\0${hit.ruleId}\0${JSON.stringify(hit.keys)}`;
}

function joins(hit: Hit, key: JoinKey, value: string): boolean {
  return hit.keys[key] === value;
}

/** Hits of `step` (null: any) joined to `value` on `key`, with fromMs <= t <= toMs, latest first. */
function candidates(hits: readonly Hit[], step: number | null, key: JoinKey, value: string, fromMs: number, toMs: number, except: Hit): Hit[] {
  const found: Hit[] = [];
  for (const hit of hits) {
    if (hit.t > toMs) break;
    if (hit.t >= fromMs && hit !== except && (step === null || hit.step === step) && joins(hit, key, value)) found.push(hit);
  }
  return found.sort(laterFirst);
}

/**
 * A sequence ending at `last` (a hit of the final step): for each earlier step the latest hit that joins the next
 * one, no longer before it than the next step allows, and keeps the whole chain within the window, backtracking when
 * an earlier step has none. Null: no chain.
 */
export function sequenceChain(correlation: CompiledCorrelation, hits: readonly Hit[], last: Hit): Hit[] | null {
  const fromMs = last.t - correlation.withinMs;
  let budget = MAX_CANDIDATES;
  const search = (step: number, next: Hit): Hit[] | null => {
    const key = correlation.on[step]!;
    const earliest = Math.max(fromMs, next.t - correlation.steps[step + 1]!.afterPreviousMs);
    for (const hit of candidates(hits, step, key, next.keys[key]!, earliest, next.t, next)) {
      if (--budget < 0) return null;
      if (step === 0) return [hit];
      const earlier = search(step - 1, hit);
      if (earlier !== null) return [...earlier, hit];
    }
    return null;
  };
  const earlier = search(correlation.steps.length - 2, last);
  return earlier === null ? null : [...earlier, last];
}

/** True when a hit of the second step joins `first` within the window after it. */
export function followed(correlation: CompiledCorrelation, hits: readonly Hit[], first: Hit): boolean {
  const key = correlation.on[0]!;
  const value = first.keys[key]!;
  const toMs = first.t + correlation.withinMs;
  for (const hit of hits) {
    if (hit.t > toMs) break;
    if (hit.t >= first.t && hit.step === 1 && joins(hit, key, value)) return true;
  }
  return false;
}

/** The latest hit of each rule joined to `hit` within the window ending at it, oldest first; null below atLeast rules. */
export function distinctRules(correlation: CompiledCorrelation, hits: readonly Hit[], hit: Hit): Hit[] | null {
  const key = correlation.on[0]!;
  const value = hit.keys[key]!;
  const latest = new Map<string, Hit>();
  for (const other of candidates(hits, null, key, value, hit.t - correlation.withinMs, hit.t, hit).reverse()) latest.set(other.ruleId, other);
  latest.set(hit.ruleId, hit);
  if (latest.size < correlation.atLeast) return null;
  return [...latest.values()].sort((a, b) => a.t - b.t || compareTie(a, b));
}

export function chainOf(correlation: CompiledCorrelation, hits: readonly Hit[], key: JoinKey): Chain {
  const last = hits[hits.length - 1]!;
  return {
    type: correlation.type,
    tailnet: last.tailnet,
    key: { type: key, value: last.keys[key]! },
    links: hits.map(linkOf),
    withinMinutes: correlation.withinMs / 60_000,
  };
}

function linkOf(hit: Hit): ChainLink {
  return { step: hit.step, ruleId: hit.ruleId, eventTime: msToRfc3339(hit.t), logType: hit.logType, severity: hit.severity, title: hit.title, keys: { ...hit.keys } };
}
