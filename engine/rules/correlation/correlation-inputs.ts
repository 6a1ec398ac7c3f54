// The rules a correlation reads: those its steps name (ids or globs), correlation rules excepted. Inline tests run
// a correlation with these beside it, as `tailwatch run` would.
import { compileGlob } from '../rule-id-glob.ts';
import { correlationFor } from './compiled-correlation-rule.ts';
import type { AnyCorrelationRule } from './correlation-rule-shape.ts';

export function correlationInputs<L extends { rule: { id: string; kind: string } }>(
  rule: AnyCorrelationRule, options: Record<string, unknown>, candidates: readonly L[],
): L[] {
  const { steps } = correlationFor(rule, options);
  const patterns = steps.flatMap((step) => step.rules.map((pattern: string) => compileGlob(pattern)));
  return candidates.filter((loaded) => loaded.rule.kind !== 'correlation' && loaded.rule.id !== rule.id && patterns.some((matches) => matches(loaded.rule.id)));
}
