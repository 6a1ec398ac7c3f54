// A suppression: which matches it silences (rule ids or globs, plus identities or one alert's dedup key) and for
// which event times. Whether it applies is decided by the match's event time, never the wall clock, so a replay of
// the same events gives the same result as live evaluation.
import type { SuppressionInfo } from '../alerts/alert.ts';
import type { AlertMatch } from '../alerts/alert-match.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';

export interface Suppression {
  info: SuppressionInfo;
  /** Applies to matches with fromMs <= event time < untilMs. */
  fromMs: number;
  untilMs: number;
  /** Whether the rule and the match's event are the suppressed ones (time aside). */
  applies(match: AlertMatch, event: TailscaleEvent): boolean;
}

/** The first suppression in order that applies to a rule's match at its event time. */
export function suppressionOf(suppressions: readonly Suppression[], match: AlertMatch, event: TailscaleEvent): SuppressionInfo | undefined {
  for (const suppression of suppressions) {
    const t = match.eventTimeMs;
    if (t >= suppression.fromMs && t < suppression.untilMs && suppression.applies(match, event)) return suppression.info;
  }
  return undefined;
}
