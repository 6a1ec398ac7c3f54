// The canonical order of what one record (or the final flush) of a replay gives: alerts by window end, then by
// what their window is (tailnet, type, rule, dedup), then id; signals by id. Rules evaluated apart
// (`replay --workers`) then merge to exactly the output of one evaluator with every rule.
import type { Alert } from '../alerts/alert.ts';
import type { Signal } from '../alerts/signal.ts';

/** Keys compare as strings: NUL separates the parts, so a shorter part sorts first. */
export function alertOrderKey(alert: Alert): string {
  return `${alert.windowEnd}\0${alert.tailnet}\0${alert.type}\0${alert.ruleId}\0${alert.dedup}\0${alert.alertId}`;
}

/** Not the event's text: its p_row_id differs between workers. */
export function signalOrderKey(signal: Signal): string {
  return `${signal.signalId}\0${signal.ruleId}`;
}

/** `items` in the order of their keys (a copy; one item or none is returned as it is). */
export function inKeyOrder<T>(items: readonly T[], keyOf: (item: T) => string): readonly T[] {
  if (items.length < 2) return items;
  return items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ item }) => item);
}
