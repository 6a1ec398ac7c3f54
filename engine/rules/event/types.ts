// The rule contract: what a detection module default-exports (see ARCHITECTURE §3).
import type { z } from 'zod';
import type { EventOf, LogType } from '../schemas/log-types.ts';
import type { Severity, SeverityResult } from './severity.ts';

/** Options a rule declares with a zod schema (defaults included); alerts.config.ts may override them per rule id. */
export type OptionsSchema = z.ZodType<Record<string, unknown>>;
export type OptionsOf<S extends OptionsSchema | undefined> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** A rule-level function: gets the typed event and the rule's resolved options. */
export type RuleFn<L extends LogType, O, R> = (event: EventOf<L>, options: O) => R;
export type TextOrFn<L extends LogType, O> = string | RuleFn<L, O, string>;

/** An inline unit test. `log` is a raw record in any delivery shape (HEC, API/S3, Panther-stored). */
export interface RuleTest {
  name: string;
  expected: boolean;
  log: Record<string, unknown>;
  /** Assertions on the alert a match produces (only checked when expected is true). */
  title?: string;
  dedup?: string;
  severity?: Severity;
  /** A subset: every key given must deep-equal the alert context's. */
  alertContext?: Record<string, unknown>;
  /** Option overrides for this test only. */
  options?: Record<string, unknown>;
}

export interface RuleMetadata {
  id: string;
  displayName?: string;
  enabled?: boolean;
  severity: Severity;
  /** Default 60. */
  dedupPeriodMinutes?: number;
  /** Matches within the dedup window before an alert is created. Default 1. */
  threshold?: number;
  tags?: string[];
  /** e.g. { 'MITRE ATT&CK': ['TA0005:T1562'] } */
  reports?: Record<string, string[]>;
  tests?: RuleTest[];
}

export interface RuleSpec<L extends LogType, S extends OptionsSchema | undefined = undefined> extends RuleMetadata {
  logTypes: readonly L[];
  options?: S;
  description?: TextOrFn<L, OptionsOf<S>>;
  runbook?: TextOrFn<L, OptionsOf<S>>;
  reference?: TextOrFn<L, OptionsOf<S>>;
  /** Only events for which include() is true (and exclude() is false) reach rule(). */
  include?: RuleFn<L, OptionsOf<S>, boolean>;
  exclude?: RuleFn<L, OptionsOf<S>, boolean>;
  rule: RuleFn<L, OptionsOf<S>, boolean>;
  title?: RuleFn<L, OptionsOf<S>, string>;
  dedup?: RuleFn<L, OptionsOf<S>, string>;
  dynamicSeverity?: RuleFn<L, OptionsOf<S>, SeverityResult>;
  alertContext?: RuleFn<L, OptionsOf<S>, Record<string, unknown>>;
  /** Destination names that override routing; [] delivers nowhere; 'DEFAULT' (from the function) uses routing. */
  destinations?: string[] | RuleFn<L, OptionsOf<S>, string[] | 'DEFAULT'>;
}

/** What defineRule returns: the spec, tagged so the loader can tell a rule module from anything else. */
export type Rule<L extends LogType = LogType, S extends OptionsSchema | undefined = OptionsSchema | undefined> = RuleSpec<L, S> & {
  readonly kind: 'rule';
};

/** Any rule, whatever its log types and options: what the loader, evaluator and test helpers accept. */
export type AnyRule = RuleMetadata & {
  readonly kind: 'rule';
  logTypes: readonly LogType[];
  options?: OptionsSchema | undefined;
  description?: string | LooseFn<string>;
  runbook?: string | LooseFn<string>;
  reference?: string | LooseFn<string>;
  include?: LooseFn<boolean>;
  exclude?: LooseFn<boolean>;
  rule: LooseFn<boolean>;
  title?: LooseFn<string>;
  dedup?: LooseFn<string>;
  dynamicSeverity?: LooseFn<SeverityResult>;
  alertContext?: LooseFn<Record<string, unknown>>;
  destinations?: string[] | LooseFn<string[] | 'DEFAULT'>;
};

/** Accepts a rule function of any event type (parameters are contravariant, `never` is the bottom type). */
type LooseFn<R> = (event: never, options: never) => R;
