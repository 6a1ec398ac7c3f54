// A route whose `ruleIds` pattern matches no loaded rule (a typo) is not accepted silently: `tailwatch run` warns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEvaluatorUnderTest, type EvaluatorUnderTest } from './support/evaluator-under-test.ts';

let run: EvaluatorUnderTest;

beforeAll(async () => {
  run = await startEvaluatorUnderTest({
    configure: (config) => ({
      ...config,
      routes: [
        { match: { ruleIds: ['Tailscale.Policy.*'] }, to: ['soar'] },
        { match: { ruleIds: ['Tailscale.Polcy.File.Updated', 'tailscale.magic.dns.disabled'] }, to: ['soar'] },
      ],
    }),
  });
});

afterAll(async () => {
  await run?.close();
});

describe('route ruleIds patterns', () => {
  it('warns, at start, about each pattern that matches no loaded rule', () => {
    const warnings = run.tailwatch.logs.filter((line) => line.msg === 'route pattern matches no rule').map((line) => line.problem);
    expect(warnings).toEqual(['routes[1].match.ruleIds: "Tailscale.Polcy.File.Updated" matches no loaded rule']);
  });
});
