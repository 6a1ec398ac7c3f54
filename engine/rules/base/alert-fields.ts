// The one builder of a match's alert fields, for every kind: Panther's fallbacks (title, dedup), limits and checks
// of what the rule's functions return. A kind supplies its subject (an event, a crossing, a chain) and its defaults.
import type { AlertFields } from '../../alerts/alert-match.ts';
import type { LogType } from '../../schemas/log-types.ts';
import type { CompiledMetadata, SubjectFn } from './compiled-metadata.ts';
import { boundedContext, chosenDestinations, cut, expectSeverity, expectString, MAX_DEDUP_CHARS, MAX_TITLE_CHARS } from './match-checks.ts';
import { resolveSeverity } from './severity.ts';
import type { SeverityResult } from './severity.ts';

/** The alert functions of a compiled rule whose functions take subjects of type `A`. */
export interface AlertFunctions<A> extends Pick<CompiledMetadata, 'id' | 'displayName' | 'severity' | 'tags' | 'reports' | 'options'> {
  title: SubjectFn<A, string> | undefined;
  dedup: SubjectFn<A, string> | undefined;
  dynamicSeverity: SubjectFn<A, SeverityResult> | undefined;
  alertContext: SubjectFn<A, Record<string, unknown>> | undefined;
  description: string | SubjectFn<A, string> | undefined;
  runbook: string | SubjectFn<A, string> | undefined;
  reference: string | SubjectFn<A, string> | undefined;
  destinations: string[] | SubjectFn<A, string[] | 'DEFAULT'> | undefined;
}

/** What a kind decides about its alerts. */
export interface AlertDefaults<A> {
  /** The log types of what the alert is about (one for an event or a crossing; a chain's can be several). */
  logTypes(subject: A): LogType[];
  /** The dedup string when the rule has no dedup() or it returns ''. */
  dedup(rule: AlertFunctions<A>, subject: A, customTitle: string, title: string): string;
  /** The kind's standard context, which the rule's own alertContext() is merged over (undefined: none). */
  context(subject: A): Record<string, unknown> | undefined;
}

/** The alert function being run, named in RULE_ERROR alerts. */
export type AlertStage = 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'description' | 'runbook' | 'reference' | 'destinations';

/** Runs the rule's alert functions on a match; `state.stage` names the one running if it throws. */
export function alertFields<A>(rule: AlertFunctions<A>, subject: A, defaults: AlertDefaults<A>, state: { stage: string }): AlertFields {
  const { options } = rule;
  state.stage = 'title';
  const customTitle = rule.title === undefined ? '' : expectString(rule.title(subject, options), 'title');
  const title = cut(customTitle || rule.displayName || rule.id, MAX_TITLE_CHARS);
  state.stage = 'dedup';
  const customDedup = rule.dedup === undefined ? '' : expectString(rule.dedup(subject, options), 'dedup');
  const dedup = cut(customDedup || defaults.dedup(rule, subject, customTitle, title), MAX_DEDUP_CHARS);
  state.stage = 'dynamicSeverity';
  const severity = rule.dynamicSeverity === undefined ? rule.severity : resolveSeverity(rule.severity, expectSeverity(rule.dynamicSeverity(subject, options)));
  state.stage = 'alertContext';
  const fields: AlertFields = {
    type: 'RULE',
    ruleId: rule.id,
    severity,
    title,
    dedup,
    logTypes: defaults.logTypes(subject),
    alertContext: alertContext(rule, subject, defaults),
    tags: [...rule.tags],
    reports: { ...rule.reports },
  };
  state.stage = 'description';
  if (rule.description !== undefined) fields.description = text(rule.description, subject, options, state.stage);
  state.stage = 'runbook';
  if (rule.runbook !== undefined) fields.runbook = text(rule.runbook, subject, options, state.stage);
  state.stage = 'reference';
  if (rule.reference !== undefined) fields.reference = text(rule.reference, subject, options, state.stage);
  state.stage = 'destinations';
  const destinations = chosenDestinations(typeof rule.destinations === 'function' ? rule.destinations(subject, options) : rule.destinations);
  if (destinations !== undefined) fields.destinations = destinations;
  return fields;
}

function alertContext<A>(rule: AlertFunctions<A>, subject: A, defaults: AlertDefaults<A>): Record<string, unknown> {
  const own = rule.alertContext === undefined ? undefined : boundedContext(rule.alertContext(subject, rule.options));
  const standard = defaults.context(subject);
  if (standard === undefined) return own ?? {};
  if (own !== undefined) Object.assign(standard, own);
  return boundedContext(standard);
}

function text<A>(value: string | SubjectFn<A, string>, subject: A, options: Record<string, unknown>, stage: string): string {
  return typeof value === 'string' ? value : expectString(value(subject, options), stage);
}
