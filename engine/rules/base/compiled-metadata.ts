// What every compiled rule carries (its metadata with Panther's defaults applied), and how a kind's loose rule
// functions are typed once for the subject the kind calls them with.
import type { LogType } from '../../schemas/log-types.ts';
import type { RuleMetadata } from './rule-metadata.ts';
import type { Severity } from './severity.ts';

export interface CompiledMetadata {
  id: string;
  displayName: string | undefined;
  enabled: boolean;
  logTypes: readonly LogType[];
  severity: Severity;
  dedupPeriodMinutes: number;
  threshold: number;
  tags: readonly string[];
  reports: Readonly<Record<string, string[]>>;
  options: Record<string, unknown>;
}

export const DEFAULT_DEDUP_PERIOD_MINUTES = 60;

/** Description, runbook and reference of a kind that declares them as plain text (staticTextShapes). */
export interface StaticTexts {
  description: string | undefined;
  runbook: string | undefined;
  reference: string | undefined;
}

export function staticTexts(rule: { description?: string | undefined; runbook?: string | undefined; reference?: string | undefined }): StaticTexts {
  return { description: rule.description, runbook: rule.runbook, reference: rule.reference };
}

/** A loaded rule of one kind, as its rule set takes it: the rule, its resolved options and its file. */
export interface LoadedKindRule<R> {
  rule: R;
  options: Record<string, unknown>;
  file?: string;
}

export function compileMetadata(rule: RuleMetadata & { logTypes: readonly LogType[] }, options: Record<string, unknown>): CompiledMetadata {
  return {
    id: rule.id,
    displayName: rule.displayName,
    enabled: rule.enabled !== false,
    logTypes: rule.logTypes,
    severity: rule.severity,
    dedupPeriodMinutes: rule.dedupPeriodMinutes ?? DEFAULT_DEDUP_PERIOD_MINUTES,
    threshold: rule.threshold ?? 1,
    tags: rule.tags ?? [],
    reports: rule.reports ?? {},
    options,
  };
}

/** A rule function as the compiled form calls it: on the kind's subject (an event, a crossing) with resolved options. */
export type SubjectFn<A, R, P extends unknown[] = []> = (subject: A, options: Record<string, unknown>, ...rest: P) => R;

type Called<F, A> = F extends (subject: never, options: never, ...rest: infer P) => infer R ? SubjectFn<A, R, P> : F;

/** The loose fields, functions typed for subject `A`; every key present (optional ones may be undefined). */
export type CalledFields<T, A> = { [K in keyof T]-?: Called<Exclude<T[K], undefined>, A> | (undefined extends T[K] ? undefined : never) };

/**
 * The loose rule's functions, typed for the subject its kind passes them. The loader has checked every one is a
 * function and the evaluator only passes subjects of the rule's log types, which is what its author typed them for.
 */
export function calledFields<T, A>(rule: T): CalledFields<T, A> {
  return rule as unknown as CalledFields<T, A>;
}
