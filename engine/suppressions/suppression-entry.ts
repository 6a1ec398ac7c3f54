// Suppressions as code: the `suppressions` key of alerts.config.ts (docs/suppressions.md). Each entry names rules,
// identities, a reason, an owner and an expiry; an entry without an expiry must say `permanent: true`.
import { z } from 'zod';
import { compileGlob } from '../rules/rule-id-glob.ts';
import { dateOrTimeToMs, msToRfc3339 } from '../schemas/time.ts';
import { IdentityMatch, matchesIdentities } from './identity-match.ts';
import type { Suppression } from './suppression.ts';

const Time = z.string().refine((text) => dateOrTimeToMs(text) !== undefined, 'expected a time: RFC 3339 or YYYY-MM-DD (UTC midnight)');

export const SuppressionEntry = z
  .strictObject({
    /** Names the suppression in metrics, history and `tailwatch suppressions`; unique. */
    id: z.string().regex(/^[A-Za-z0-9][\w.:-]*$/, 'letters, digits, and . _ : -'),
    /** Rule ids or globs (`Tailscale.SSH.*`). */
    rules: z.array(z.string().min(1)).min(1),
    match: IdentityMatch,
    reason: z.string().min(1),
    owner: z.string().min(1),
    /** Matches with an event time before this are suppressed (RFC 3339 or YYYY-MM-DD). */
    expires: Time.optional(),
    /** Required instead of `expires` for an entry that never expires. */
    permanent: z.literal(true).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.expires === undefined && entry.permanent === undefined) ctx.addIssue({ code: 'custom', message: 'give `expires` (a time) or `permanent: true`', path: ['expires'] });
    if (entry.expires !== undefined && entry.permanent !== undefined) ctx.addIssue({ code: 'custom', message: 'an entry with `expires` is not permanent', path: ['permanent'] });
  });
export type SuppressionEntry = z.output<typeof SuppressionEntry>;

export const SuppressionEntries = z.array(SuppressionEntry).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  for (const [index, { id }] of entries.entries()) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate suppression id "${id}"`, path: [index, 'id'] });
    seen.add(id);
  }
});

export function entrySuppression(entry: SuppressionEntry): Suppression {
  const untilMs = entry.expires === undefined ? Infinity : (dateOrTimeToMs(entry.expires) as number);
  const rules = entry.rules.map(compileGlob);
  return {
    info: { id: entry.id, reason: entry.reason, owner: entry.owner, expires: Number.isFinite(untilMs) ? msToRfc3339(untilMs) : null },
    fromMs: -Infinity,
    untilMs,
    applies: (match, event) => rules.some((matches) => matches(match.alert.ruleId)) && matchesIdentities(entry.match, event),
  };
}

/** Entries whose expiry has passed by `nowMs` (the wall clock: `tailwatch test` warns about them). */
export function expiredEntries(entries: readonly SuppressionEntry[], nowMs: number): SuppressionEntry[] {
  return entries.filter((entry) => entry.expires !== undefined && (dateOrTimeToMs(entry.expires) as number) <= nowMs);
}
