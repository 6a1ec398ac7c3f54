// Deterministic alert ids and window keys: the same matches give the same ids in replay and live evaluation.
import { createHash } from 'node:crypto';
import type { AlertType } from './alert.ts';

/**
 * The dedup key: per tailnet; an error alert never shares a window with the rule's own alerts, nor a suppressed
 * match with unsuppressed ones (so when a suppression ends, what it silenced never counts towards a new alert).
 */
export function windowKey(tailnet: string, type: AlertType, ruleId: string, dedup: string, suppressionId?: string): string {
  const key = `${tailnet}\0${type}\0${ruleId}\0${dedup}`;
  return suppressionId === undefined ? key : `${key}\0suppressed\0${suppressionId}`;
}

/**
 * sha256 of the window key and the start of its aligned window, 32 hex characters. A late window also hashes the
 * watermark it was opened at, so it never takes the id of the window it arrived too late for (or of another late one).
 */
export function alertIdOf(key: string, windowStartMs: number, lateOpenedAtMs?: number): string {
  const late = lateOpenedAtMs === undefined ? '' : `\0late\0${lateOpenedAtMs}`;
  return createHash('sha256').update(`${key}\0${windowStartMs}${late}`).digest('hex').slice(0, 32);
}
