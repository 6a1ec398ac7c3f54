// A loaded silence rule flattened for the hot path: defaults applied, window validated (after options), its
// reporters' state built.
import { z } from 'zod';
import { RuleLoadError } from '../../errors.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import { calledFields, compileMetadata, staticTexts } from '../base/compiled-metadata.ts';
import type { CalledFields, CompiledMetadata, StaticTexts } from '../base/compiled-metadata.ts';
import { forOptions } from '../base/rule-metadata.ts';
import { Reporters } from './reporters.ts';
import { SilenceWindowShape } from './silence-rule-shape.ts';
import type { AnySilenceRule } from './silence-rule-shape.ts';
import type { Silence, SilenceWindow } from './types.ts';

type SilenceFunctions = Pick<AnySilenceRule, 'rule' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations'>;

export type CompiledSilenceRule = CompiledMetadata &
  StaticTexts &
  CalledFields<SilenceFunctions, Silence> &
  CalledFields<Pick<AnySilenceRule, 'reporter'>, TailscaleEvent> & {
    window: SilenceWindow;
    reporters: Reporters;
  };

/** Throws RuleLoadError when the rule's window (after options) is invalid, or when it is a signal. */
export function compileSilenceRule(rule: AnySilenceRule, options: Record<string, unknown>): CompiledSilenceRule {
  // Its matches come from the passage of event time, not from one event a signal could be stored with.
  if (rule.signal === true) throw new RuleLoadError(`rule ${rule.id}: a silence rule cannot be a signal`);
  const checked = SilenceWindowShape.safeParse(silenceWindowFor(rule, options));
  if (!checked.success) throw new RuleLoadError(`rule ${rule.id}: invalid silence window:\n${z.prettifyError(checked.error)}`);
  const fns = calledFields<SilenceFunctions, Silence>(rule);
  const { reporter } = calledFields<Pick<AnySilenceRule, 'reporter'>, TailscaleEvent>(rule);
  return {
    ...compileMetadata(rule, options),
    ...staticTexts(rule),
    window: checked.data,
    reporters: new Reporters(checked.data),
    reporter,
    rule: fns.rule,
    title: fns.title,
    dedup: fns.dedup,
    dynamicSeverity: fns.dynamicSeverity,
    alertContext: fns.alertContext,
    destinations: fns.destinations,
  };
}

/** The rule's window, or what its window function gives for these options (typed by its author for them). */
export function silenceWindowFor(rule: AnySilenceRule, options: Record<string, unknown>): SilenceWindow {
  return forOptions(rule.silence, options);
}
