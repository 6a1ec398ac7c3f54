// Every rule's inline tests, as vitest cases: `npm test` covers rules/ without running `tailwatch test`. They run in
// a watched worker thread, so a rule that never returns fails its case instead of hanging CI.
import { describeRuleFileTests } from '../../engine/testing/index.ts';

await describeRuleFileTests('rules');
