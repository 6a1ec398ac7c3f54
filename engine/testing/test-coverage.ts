// `--min-tests N`: a rule needs at least N inline tests, including a positive and a negative one.
export interface CoverageProblem {
  ruleId: string;
  message: string;
}

export function checkTestCoverage(rule: { id: string; tests?: readonly { expected: boolean }[] | undefined }, minTests: number): CoverageProblem | undefined {
  const tests = rule.tests ?? [];
  const positive = tests.some((test) => test.expected);
  const negative = tests.some((test) => !test.expected);
  if (tests.length >= minTests && positive && negative) return undefined;
  const has = `${tests.length} test${tests.length === 1 ? '' : 's'} (${positive ? 'a' : 'no'} positive, ${negative ? 'a' : 'no'} negative)`;
  return { ruleId: rule.id, message: `has ${has}; needs at least ${minTests}, with both a positive and a negative test` };
}
