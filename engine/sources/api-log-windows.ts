// The time windows a tailscale-api source asks for, and what it remembers between them. Windows follow each other
// edge to edge ([a, b], then [b, c]) in whole seconds; Tailscale's logging API includes both ends, so a record on
// an edge comes back in both windows. Each record's identity is the SHA-256 of its JSON text as the API returned it
// (the same record is the same bytes; audit records' eventGroupID is shared by several changes), and the identities
// of the last window are kept in the checkpoint: a record seen there is skipped in the next one, across restarts.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Where one log stands; written in the transaction of each batch. */
export const ApiLogPosition = z.object({
  /** The next window starts here: the end of the last window delivered whole. */
  from: z.iso.datetime(),
  /** The end of the window being delivered, when only some of its batches are committed. */
  until: z.iso.datetime().optional(),
  /** Identities a window starting at `from` must skip: the last whole window's, plus the current one's delivered so far. */
  seen: z.array(z.string()),
});
export type ApiLogPosition = z.infer<typeof ApiLogPosition>;

export interface ApiWindow {
  startMs: number;
  endMs: number;
  /** As long as windows may be: more may be waiting behind it (a backfill), so poll again at once. */
  full: boolean;
}

export interface WindowSettings {
  windowSeconds: number;
  /** How far behind now a window may end (Tailscale makes records queryable some time after they happen). */
  delaySeconds: number;
}

/** The window to ask for next, or undefined when less than a second has become queryable since the last one. */
export function nextWindow(position: ApiLogPosition, nowMs: number, settings: WindowSettings): ApiWindow | undefined {
  const startMs = Date.parse(position.from);
  if (position.until !== undefined) return { startMs, endMs: Date.parse(position.until), full: true };
  const limitMs = wholeSecond(nowMs - settings.delaySeconds * 1000);
  const fullEndMs = startMs + settings.windowSeconds * 1000;
  const endMs = Math.min(fullEndMs, limitMs);
  return endMs > startMs ? { startMs, endMs, full: endMs === fullEndMs } : undefined;
}

/** The position of a log that has none yet: `since` (or now, less the delay), in whole seconds. */
export function firstPosition(sinceMs: number | undefined, nowMs: number, delaySeconds: number): ApiLogPosition {
  return { from: rfc3339(wholeSecond(sinceMs ?? nowMs - delaySeconds * 1000)), seen: [] };
}

/** RFC 3339 in UTC without fractions, as the API's examples write it. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function recordIdentity(json: string): string {
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
