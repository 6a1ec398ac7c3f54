// A loaded correlation rule flattened for the hot path: defaults applied, its correlation validated (after options)
// into steps with compiled rule patterns and one join key per step boundary.
import { RuleLoadError } from '../../errors.ts';
import type { LogType } from '../../schemas/log-types.ts';
import { calledFields, compileMetadata, staticTexts } from '../base/compiled-metadata.ts';
import type { CalledFields, CompiledMetadata, StaticTexts } from '../base/compiled-metadata.ts';
import { forOptions } from '../base/rule-metadata.ts';
import { severityRank } from '../base/severity.ts';
import { compileGlob } from '../rule-id-glob.ts';
import type { AnyCorrelationRule } from './correlation-rule-shape.ts';
import { JOIN_KEYS } from './types.ts';
import type { Chain, Correlation, CorrelationType, JoinKey, KeyFn } from './types.ts';

type ChainFunctions = Pick<AnyCorrelationRule, 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations'>;

export interface CompiledStep {
  matchesRule: (ruleId: string) => boolean;
  logType: LogType;
  minSeverityRank: number;
  /** The key functions, `tailnet` excluded (every hit carries its tailnet). */
  keys: [JoinKey, KeyFn<LogType>][];
  /** The keys a hit of this step must have to take part (the joins to its neighbours). */
  required: JoinKey[];
  /** Sequence: how long after the previous step's hit this step's may come (the whole window when unset). */
  afterPreviousMs: number;
}

export interface CompiledCorrelation {
  type: CorrelationType;
  steps: CompiledStep[];
  /** sequence: on[i] joins step i to step i + 1; absence and distinct: one key. */
  on: JoinKey[];
  withinMs: number;
  /** distinct: different rules that fire. */
  atLeast: number;
}

export type CompiledCorrelationRule = CompiledMetadata &
  StaticTexts &
  CalledFields<ChainFunctions, Chain> & {
    correlation: CompiledCorrelation;
  };

const MAX_SEQUENCE_STEPS = 5;
/** Hits are kept for the window plus the lateness: a week bounds what one rule may hold on to. */
const MAX_WITHIN_MINUTES = 7 * 24 * 60;

/** Throws RuleLoadError when the correlation (after options) is invalid. */
export function compileCorrelationRule(rule: AnyCorrelationRule, options: Record<string, unknown>): CompiledCorrelationRule {
  const fns = calledFields<ChainFunctions, Chain>(rule);
  // Its matches come from windows and watermarks, not from one event a signal could be stored with.
  if (rule.signal === true) throw new RuleLoadError(`rule ${rule.id}: a correlation rule cannot be a signal`);
  return {
    ...compileMetadata(rule, options),
    ...staticTexts(rule),
    correlation: compileCorrelation(rule.id, rule.logTypes, forOptions(rule.correlate, options)),
    title: fns.title,
    dedup: fns.dedup,
    dynamicSeverity: fns.dynamicSeverity,
    alertContext: fns.alertContext,
    destinations: fns.destinations,
  };
}

export function correlationFor(rule: AnyCorrelationRule, options: Record<string, unknown>): Correlation {
  return forOptions(rule.correlate, options);
}

function compileCorrelation(id: string, logTypes: readonly LogType[], correlation: Correlation): CompiledCorrelation {
  const fail = (problem: string): never => {
    throw new RuleLoadError(`rule ${id}: invalid correlation: ${problem}`);
  };
  const { type, steps, withinMinutes } = correlation;
  if (!['sequence', 'absence', 'distinct'].includes(type)) fail(`type must be sequence, absence or distinct, got ${JSON.stringify(type)}`);
  if (!Array.isArray(steps)) fail('steps must be an array');
  if (type === 'sequence' && (steps.length < 2 || steps.length > MAX_SEQUENCE_STEPS)) fail(`a sequence has 2 to ${MAX_SEQUENCE_STEPS} steps, got ${steps.length}`);
  if (type === 'absence' && steps.length !== 2) fail(`an absence has 2 steps (the first, and the one that must not follow), got ${steps.length}`);
  if (type === 'distinct' && steps.length < 1) fail('a distinct count needs at least one step');
  if (!(Number.isFinite(withinMinutes) && withinMinutes > 0 && withinMinutes <= MAX_WITHIN_MINUTES)) {
    fail(`withinMinutes must be above 0 and at most ${MAX_WITHIN_MINUTES}, got ${withinMinutes}`);
  }
  const joins = Array.isArray(correlation.on) ? [...(correlation.on as JoinKey[])] : Array.from({ length: type === 'sequence' ? steps.length - 1 : 1 }, () => correlation.on as JoinKey);
  if (type === 'sequence' && joins.length !== steps.length - 1) fail(`on gives ${joins.length} keys for ${steps.length - 1} step boundaries`);
  for (const key of joins) if (!JOIN_KEYS.includes(key)) fail(`unknown join key ${JSON.stringify(key)} (known: ${JOIN_KEYS.join(', ')})`);
  let atLeast = 1;
  if (correlation.type === 'distinct') {
    atLeast = correlation.atLeast;
    if (!Number.isInteger(atLeast) || atLeast < 2) fail(`atLeast must be an integer of at least 2, got ${atLeast}`);
  }
  const compiled = steps.map((step, index): CompiledStep => {
    const at = `step ${index + 1}`;
    if (!logTypes.includes(step.logType)) fail(`${at}: log type ${step.logType} is not one of the rule's logTypes (${logTypes.join(', ')})`);
    if (!Array.isArray(step.rules) || step.rules.length === 0) fail(`${at}: rules must name at least one rule id or glob`);
    const patterns: ((ruleId: string) => boolean)[] = step.rules.map((pattern: string) => compileGlob(pattern));
    if (patterns.some((matches) => matches(id))) fail(`${at}: a correlation cannot be its own input`);
    const keys = Object.entries(step.keys ?? {}) as [JoinKey, KeyFn<LogType>][];
    for (const [key, keyFn] of keys) {
      if (key === 'tailnet' || !JOIN_KEYS.includes(key)) fail(`${at}: unknown key ${JSON.stringify(key)} (key functions: node, user, authKey)`);
      if (typeof keyFn !== 'function') fail(`${at}: key ${key} must be a function of the event`);
    }
    const required = type === 'sequence' ? [joins[index - 1], joins[index]].filter((key) => key !== undefined) : [joins[0] as JoinKey];
    for (const key of required) if (key !== 'tailnet' && !keys.some(([name]) => name === key)) fail(`${at}: joins on ${key} but has no ${key} key function`);
    const gap = step.withinMinutesOfPrevious;
    if (gap !== undefined && (type !== 'sequence' || index === 0)) fail(`${at}: withinMinutesOfPrevious applies to sequence steps after the first`);
    if (gap !== undefined && !(Number.isFinite(gap) && gap > 0 && gap <= withinMinutes)) fail(`${at}: withinMinutesOfPrevious must be above 0 and at most withinMinutes (${withinMinutes}), got ${gap}`);
    return {
      matchesRule: (ruleId) => patterns.some((matches) => matches(ruleId)),
      logType: step.logType,
      minSeverityRank: step.minSeverity === undefined ? 0 : severityRank(step.minSeverity),
      keys,
      required,
      afterPreviousMs: (gap ?? withinMinutes) * 60_000,
    };
  });
  return { type, steps: compiled, on: joins, withinMs: withinMinutes * 60_000, atLeast };
}
