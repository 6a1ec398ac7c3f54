// Deterministic alert ids and window keys: the same matches give the same ids in replay and live evaluation.
import { createHash } from 'node:crypto';
import type { AlertType } from './alert.ts';

/** The dedup key: an error alert never shares a window with the rule's own alerts. */
export function windowKey(type: AlertType, ruleId: string, dedup: string): string {
  return `${type}\0${ruleId}\0${dedup}`;
}

/** sha256 of the window key and the event time (ms) of the match that opened the window, 32 hex characters. */
export function alertIdOf(key: string, windowStartMs: number): string {
  return createHash('sha256').update(`${key}\0${windowStartMs}`).digest('hex').slice(0, 32);
}
