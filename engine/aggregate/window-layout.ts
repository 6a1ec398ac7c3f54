// Validates a rule's AggregateWindow and fixes the constant-size state layout every group of that rule shares.
import { z } from 'zod';
import { RuleLoadError } from '../errors.ts';
import type { AggregateWindow, Measure } from './types.ts';

const AggregateWindowSchema = z.strictObject({
  measure: z.enum(['sum', 'count', 'distinct']),
  windowMinutes: z.int().min(1).max(1440),
  atLeast: z.number().positive(),
  baseline: z.strictObject({ factor: z.number().positive(), hours: z.int().min(1).max(168) }).optional(),
  maxGroups: z.int().min(1).max(50_000_000).optional(),
  topContributors: z.int().min(1).max(50).optional(),
});

export interface WindowLayout {
  measure: Measure;
  windowMinutes: number;
  allowedLatenessMinutes: number;
  atLeast: number;
  /** 0 when the rule has no baseline. */
  baselineFactor: number;
  baselineHours: number;
  maxGroups: number;
  topContributors: number;
  /** Minute buckets kept per group (window + lateness); 0 for distinct measures, which keep last-seen minutes. */
  ringMinutes: number;
  /** Hour buckets kept per group for the baseline (0 without one). */
  hourSlots: number;
  /** Entries of the per-group heavy-hitter summary (a few more than reported, so the ranking is stable). */
  summarySlots: number;
  /** Distinct items kept per group: enough to see the threshold crossed exactly. */
  distinctCap: number;
  /** A group's cells in its store chunk: [minute ring | hour buckets] (none for distinct measures). */
  ringOffset: number;
  hourOffset: number;
  cells: number;
}

/** What a snapshot must have been taken with to be restored: the fields that decide a group's state. */
export function layoutKey(layout: WindowLayout): string {
  const { measure, windowMinutes, allowedLatenessMinutes, atLeast, baselineFactor, baselineHours, maxGroups, topContributors } = layout;
  return JSON.stringify({ measure, windowMinutes, allowedLatenessMinutes, atLeast, baselineFactor, baselineHours, maxGroups, topContributors });
}

/** `allowedLatenessMinutes`: the engine's one lateness bound (EvaluatorOptions), not the rule's. */
export function windowLayout(ruleId: string, window: AggregateWindow, allowedLatenessMinutes: number): WindowLayout {
  const parsed = AggregateWindowSchema.safeParse(window);
  if (!parsed.success) {
    throw new RuleLoadError(`${ruleId}: invalid aggregate window\n${z.prettifyError(parsed.error)}`);
  }
  const w = parsed.data;
  if (w.measure === 'distinct' && w.baseline) {
    throw new RuleLoadError(`${ruleId}: a baseline needs a sum or count measure, not distinct`);
  }
  const ringMinutes = w.measure === 'distinct' ? 0 : w.windowMinutes + allowedLatenessMinutes;
  const baselineHours = w.baseline?.hours ?? 0;
  // Enough hours for the settled baseline of the oldest window a late event can still reach (sliding-sum.ts).
  const hourSlots = w.baseline ? baselineHours + Math.ceil((w.windowMinutes + 2 * allowedLatenessMinutes) / 60) + 2 : 0;
  const topContributors = w.topContributors ?? 5;
  const summarySlots = topContributors + 3;
  const ringOffset = 0;
  const hourOffset = ringOffset + ringMinutes;
  return {
    measure: w.measure,
    windowMinutes: w.windowMinutes,
    allowedLatenessMinutes,
    atLeast: w.atLeast,
    baselineFactor: w.baseline?.factor ?? 0,
    baselineHours,
    maxGroups: w.maxGroups ?? 100_000,
    topContributors,
    ringMinutes,
    hourSlots,
    summarySlots,
    distinctCap: Math.max(16, Math.ceil(w.atLeast) * 2),
    ringOffset,
    hourOffset,
    cells: hourOffset + hourSlots,
  };
}
