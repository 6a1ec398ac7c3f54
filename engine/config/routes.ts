// Ordered routes: the first route whose matcher accepts an alert decides, unless it says `continue: true`.
import { z } from 'zod';
import { LOG_TYPES } from '../schemas/log-types.ts';
import { DestinationName, SeverityName } from '../destinations/destination-config.ts';

export const RouteMatch = z.strictObject({
  /** Exact severity, or any of a list. */
  severity: z.union([SeverityName, z.array(SeverityName).min(1)]).optional(),
  /** This severity or higher. */
  minSeverity: SeverityName.optional(),
  /** Any of these log types. */
  logTypes: z.array(z.enum(LOG_TYPES)).min(1).optional(),
  /** Any of these rule ids; `*` matches any run of characters (`Tailscale.Policy.*`), `?` one; case-insensitive. */
  ruleIds: z.array(z.string().min(1)).min(1).optional(),
  /** Any of these tags (case-insensitive). */
  tags: z.array(z.string().min(1)).min(1).optional(),
  /** Any of these tailnets (the alert's `tailnet`; exact names, `*` and `?` as in ruleIds), e.g. one customer's. */
  tailnets: z.array(z.string().min(1)).min(1).optional(),
  /** RULE or RULE_ERROR. */
  type: z.enum(['RULE', 'RULE_ERROR']).optional(),
});
export type RouteMatch = z.infer<typeof RouteMatch>;

export const Route = z.strictObject({
  name: z.string().min(1).optional(),
  /** Every condition given must hold; an empty matcher matches every alert. */
  match: RouteMatch.default({}),
  /** [] delivers nowhere (and stops routing). */
  to: z.array(DestinationName),
  /** Keep evaluating later routes after this one matched. */
  continue: z.boolean().default(false),
});
export type Route = z.infer<typeof Route>;
