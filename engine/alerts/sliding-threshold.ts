// Thresholds over a sliding dedup period: a window's alert is raised when, at one of its matches, at least
// `threshold` matches fell within the dedup period ending there, counting the previous window's matches too. So a
// burst that straddles a window boundary is never missed, and whether a window fires depends only on the set of
// matches, not on their arrival order (adding matches can only add alerts).
import type { AlertWindow } from './alert-window.ts';

export function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && times[i - 1]! > t) i--;
  times.splice(i, 0, t);
}

/** Keeps the latest `keep` times: all a later window's look-back can use once this window has fired. */
export function keepLatest(times: number[], keep: number): void {
  if (times.length > keep) times.splice(0, times.length - keep);
}

function countIn(window: AlertWindow | undefined, lo: number, hi: number): number {
  let n = 0;
  for (const t of window?.times ?? []) if (t > lo && t <= hi) n++;
  return n;
}

/**
 * After a match at `t` joined `window`: the windows among it and its successor that have not fired yet and now have
 * a match m with at least `threshold` matches in (m − period, m].
 */
export function windowsReachingThreshold(
  previous: AlertWindow | undefined,
  window: AlertWindow,
  next: AlertWindow | undefined,
  t: number,
  periodMs: number,
): AlertWindow[] {
  const reached: AlertWindow[] = [];
  for (const candidate of [window, next]) {
    if (candidate === undefined || candidate.alert !== null || candidate.closed) continue;
    const ends = (candidate.times ?? []).filter((m) => m >= t && m < t + periodMs);
    if (ends.some((m) => countIn(previous, m - periodMs, m) + countIn(window, m - periodMs, m) + countIn(next, m - periodMs, m) >= candidate.threshold)) {
      reached.push(candidate);
    }
  }
  return reached;
}
