// A clock whose sleeps return at once and move virtual time forward: long waits (rate limits, max age)
// run instantly and deterministically; assertions read the virtual timestamps the deliverer recorded.
import type { Clock } from '../../engine/destinations/clock.ts';

export function virtualClock(startMs = Date.parse('2026-06-03T12:00:00Z')): Clock {
  let now = startMs;
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return;
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
