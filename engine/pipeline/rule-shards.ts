// Which rules each worker of `replay --workers N` evaluates. Rules that share state stay together (a correlation and
// every rule its steps read); the groups go to the least loaded worker by a rough cost. Every worker computes the same
// split from the same rule list, so none has to be told its share.
import { enterLoading, leaveCall } from '../rules/base/rule-calls.ts';
import { compileCorrelationRule } from '../rules/correlation/compiled-correlation-rule.ts';
import type { LoadedRule } from '../rules/load-rules.ts';

/** Relative cost per kind; flow records are most of any stream, so a rule that reads them costs ten times more. */
const KIND_COST: Record<string, number> = { aggregate: 5, firstSeen: 2, silence: 2, correlation: 1, rule: 1 };
const FLOW_LOG_TYPE = 'Tailscale.Network';

/** The rules of each of `count` workers, each list in the order of `rules` (some lists may be empty). */
export function ruleShards(rules: readonly LoadedRule[], count: number): LoadedRule[][] {
  const groups = stateGroups(rules);
  const costs = new Array<number>(count).fill(0);
  const shardOf = new Array<number>(rules.length).fill(0);
  const byCost = groups
    .map((members) => ({ members, cost: members.reduce((sum, index) => sum + costOf(rules[index]!), 0) }))
    .sort((a, b) => b.cost - a.cost || a.members[0]! - b.members[0]!);
  for (const { members, cost } of byCost) {
    const shard = costs.indexOf(Math.min(...costs));
    costs[shard]! += cost;
    for (const index of members) shardOf[index] = shard;
  }
  return Array.from({ length: count }, (_, shard) => rules.filter((_, index) => shardOf[index] === shard));
}

/** Indices of rules that must be evaluated together, each group in ascending order, groups by their first index. */
function stateGroups(rules: readonly LoadedRule[]): number[][] {
  const parent = rules.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // A correlation's steps come from calling its rule code (correlate may be a function of the options).
  enterLoading('the rule set');
  try {
    for (const [index, { rule, options }] of rules.entries()) {
      if (rule.kind !== 'correlation') continue;
      const { steps } = compileCorrelationRule(rule, options).correlation;
      for (const [other, loaded] of rules.entries()) if (steps.some((step) => step.matchesRule(loaded.rule.id))) join(index, other);
    }
  } finally {
    leaveCall();
  }
  const groups = new Map<number, number[]>();
  for (const index of rules.keys()) {
    const group = groups.get(root(index));
    if (group === undefined) groups.set(root(index), [index]);
    else group.push(index);
  }
  return [...groups.values()];
}

function costOf({ rule }: LoadedRule): number {
  if (rule.enabled === false) return 0;
  return (KIND_COST[rule.kind ?? 'rule'] ?? 1) * (rule.logTypes.includes(FLOW_LOG_TYPE) ? 10 : 1);
}
