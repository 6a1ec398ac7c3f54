// The pure, per-event part of correlation: the hits a rule's steps take from this event's matches (keys extracted
// by the steps' key functions). A function of the event, the matches and the rule's compiled options only, so it
// can run wherever rules run; the stateful part (correlation-state.ts) applies hits in input order.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { LogType, TailscaleEvent } from '../../schemas/log-types.ts';
import { ruleErrorMatch } from '../base/match-checks.ts';
import { enterRule, leaveCall } from '../base/rule-calls.ts';
import { severityRank } from '../base/severity.ts';
import type { Severity } from '../base/severity.ts';
import type { CompiledCorrelationRule } from './compiled-correlation-rule.ts';
import type { JoinKey } from './types.ts';

/** One match taking part in one step of a correlation. */
export interface Hit {
  tailnet: string;
  step: number;
  /** Event time of the match, ms. */
  t: number;
  ruleId: string;
  logType: LogType;
  severity: Severity;
  title: string;
  keys: Partial<Record<JoinKey, string>>;
  /** When the correlation evaluates this hit (a sequence's last step, an absence's first, every distinct hit), else null. */
  dueMs: number | null;
}

/** Pushes the rule's hits among `matches` (RULE matches of this event); a throwing key function becomes a RULE_ERROR match. */
export function stepHits(
  rule: CompiledCorrelationRule, event: TailscaleEvent, matches: readonly AlertMatch[], out: Hit[], errors: AlertMatch[],
): void {
  const { steps } = rule.correlation;
  for (const match of matches) {
    const { alert } = match;
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      if (step.logType !== event.p_log_type || !step.matchesRule(alert.ruleId) || severityRank(alert.severity) < step.minSeverityRank) continue;
      const keys: Partial<Record<JoinKey, string>> = { tailnet: match.tailnet };
      enterRule(rule.id);
      try {
        for (const [key, keyFn] of step.keys) {
          const value: unknown = keyFn(event, { ruleId: alert.ruleId, group: match.group });
          if (typeof value === 'string' && value !== '') keys[key] = value;
          else if (value !== undefined) throw new TypeError(`key ${key} returned ${typeof value}, expected a string or undefined`);
        }
      } catch (error) {
        errors.push(ruleErrorMatch(rule, event, match.eventTimeMs, 'keys', error));
        continue;
      } finally {
        leaveCall();
      }
      if (!step.required.every((key) => keys[key] !== undefined)) continue;
      out.push({
        tailnet: match.tailnet,
        step: index,
        t: match.eventTimeMs,
        ruleId: alert.ruleId,
        logType: event.p_log_type as LogType,
        severity: alert.severity,
        title: alert.title,
        keys,
        dueMs: null,
      });
    }
  }
}
