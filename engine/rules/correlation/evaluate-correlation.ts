// A chain a correlation found, as an alert match (same machinery as the other kinds). A throwing title/dedup/...
// function becomes a RULE_ERROR match, named after the chain's last step.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { LogType } from '../../schemas/log-types.ts';
import { msToRfc3339 } from '../../schemas/time.ts';
import { alertFields } from '../base/alert-fields.ts';
import type { AlertDefaults } from '../base/alert-fields.ts';
import { ruleErrorMatch, ruleMatch } from '../base/match-checks.ts';
import { enterRule, leaveCall } from '../base/rule-calls.ts';
import type { CompiledCorrelationRule } from './compiled-correlation-rule.ts';
import type { FoundChain } from './correlation-state.ts';
import type { Chain } from './types.ts';

export function chainMatch(rule: CompiledCorrelationRule, found: FoundChain): AlertMatch {
  enterRule(rule.id);
  try {
    return match(rule, found);
  } finally {
    leaveCall();
  }
}

function match(rule: CompiledCorrelationRule, { chain, eventTimeMs }: FoundChain): AlertMatch {
  const state = { stage: 'title' };
  try {
    return ruleMatch(rule, eventTimeMs, chain.tailnet, alertFields(rule, chain, CHAIN_ALERTS, state));
  } catch (error) {
    const last = chain.links[chain.links.length - 1]!;
    const subject = { p_tailnet: chain.tailnet, p_log_type: last.logType, p_event_time: msToRfc3339(eventTimeMs) };
    return ruleErrorMatch(rule, subject, eventTimeMs, state.stage, error);
  }
}

/** The dedup string is the entity key; the standard context is the chain itself. */
const CHAIN_ALERTS: AlertDefaults<Chain> = {
  logTypes: (chain) => [...new Set(chain.links.map((link) => link.logType as LogType))],
  dedup: (_rule, chain) => `${chain.key.type}:${chain.key.value}`,
  context: (chain) => ({ correlation: chain.type, key: chain.key, withinMinutes: chain.withinMinutes, chain: chain.links }),
};
