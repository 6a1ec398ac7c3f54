// Every rule's inline tests, as vitest cases: `npm test` covers rules/ without running `tailwatch test`.
import { loadRules } from '../../engine/rules/load-rules.ts';
import { describeRuleTests } from '../../engine/testing/index.ts';

describeRuleTests(await loadRules('rules'));
