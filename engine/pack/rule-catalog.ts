// docs/rules.md: the rule catalog, generated from rule metadata (`tailwatch docs` writes it, `--check` compares).
import { z } from 'zod';
import type { AggregateWindow } from '../aggregate/types.ts';
import { windowFor } from '../rules/aggregate/compiled-aggregate-rule.ts';
import { firstSeenWindowFor } from '../rules/first-seen/compiled-first-seen-rule.ts';
import { DEFAULT_MAX_VALUES } from '../rules/first-seen/seen-values.ts';
import type { FirstSeenWindow } from '../rules/first-seen/types.ts';
import type { AnyKindRule } from '../rules/rule-kinds.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import { alertSemanticsSection } from './alert-semantics-doc.ts';
import { eventTypesSection } from './event-types-doc.ts';
import { formatBytes } from './flow-fields.ts';

const MITRE = 'MITRE ATT&CK';

const PREAMBLE = `# Rule catalog

Generated from the rules' metadata by \`npx tailwatch docs\`; do not edit by hand (CI runs \`npx tailwatch docs --check\`).
Every option can be overridden per deployment in \`alerts.config.ts\` under \`rules.options['<rule id>']\`;
an invalid override fails at load with the rule id and the problem.

## Rule kinds and their inline tests

Every rule shares one metadata base (\`id\`, \`displayName\`, \`severity\`, \`enabled\`, \`dedupPeriodMinutes\`,
\`threshold\`, \`tags\`, \`reports\`, \`logTypes\`, \`options\`, \`tests\`) and builds its alert the same way (title,
dedup, severity, context, destinations, with Panther's fallbacks and limits). A kind adds what it matches on:
**per event** (\`defineRule\`: \`rule()\` on each event), **aggregate** (\`defineAggregateRule\`: a measure over
windows, below) or **first seen** (\`defineFirstSeenRule\`: a value new to its group, below). Inline tests of every
kind run through the real evaluator (\`tailwatch test\`, \`npm test\`): a per-event test gives one \`log\`, an
aggregate or first-seen test a sequence of \`logs\` (and may assert the number of \`alerts\`);
\`expected: true\` means the logs create an alert, so a rule's \`threshold\` applies to its tests too. In the
engine, each kind is one folder of \`engine/rules/\` (its declaration, its evaluation, its tests' shape) over the
shared base in \`engine/rules/base/\`; adding a kind means adding such a folder and its entry in
\`engine/rules/rule-kinds.ts\`.

## Aggregate rules

An aggregate rule measures contributions extracted from events (one flow record holds many traffic entries),
grouped by a key (per tailnet), over a sliding window of one-minute buckets on **event time**, so a burst is never
split by a window boundary and a replay gives the same alerts as live evaluation, however the input is split into
files.

- **Measures**: \`sum\` of the contributions' amounts, \`count\` of contributions, \`distinct\` items (an exact set per
  group, each item with the minutes it was seen in, so every window a late item can still reach counts it; capped at
  twice the threshold, so crossing the threshold is always seen exactly).
- **Threshold**: the window's measure reaches \`atLeast\`; with a **baseline**, it must also reach \`factor ×\` the
  group's trailing average per window over the last N hours (hourly buckets, counted from when the group was first
  seen). Only settled hours count: those that end at least the allowed lateness before the window starts, so a
  window's threshold is fixed when it is first checked. The static floor always applies, and a group with less than
  an hour of history has only the floor.
- **Crossings**: every window (one per end minute) whose measure reaches its threshold is one crossing, reported
  once, the moment it happens. Sums, counts and distinct sets only grow, so the set of windows that cross depends on which
  contributions arrived within the lateness, not on their order. Crossings are matches for the alert windows above:
  the dedup string is the group key unless the rule says otherwise, an alert's \`eventCount\` is the number of its
  windows that crossed, and its representative is the earliest of them (ties: the smaller group key).
- **Settling**: once the watermark has passed a crossing window's end by the allowed lateness, its \`value\` is final:
  the title and context are computed again from it, and the alert is revised if they changed.
- **What titles get** (\`Crossing\`): \`tailnet\`, \`group\`, \`measure\`, \`value\`, \`threshold\`, \`baseline\` (with a
  baseline), \`windowMinutes\`, \`windowStart\`, \`windowEnd\`, \`topContributors\`, and \`event\`: an event whose
  contributions made the window cross. Use \`event\` for facts about the group itself (its node's name, the actor's
  login): which event it is depends on arrival order. So can \`topContributors\`: a bounded summary whose amounts may
  include contributions just after the window, and which approximates when a group has more contributors than it
  holds.
- **Alert context**: \`tailnet\`, \`group\`, \`measure\`, \`value\`, \`threshold\`, \`baseline\` (with a baseline),
  \`windowMinutes\`, \`windowStart\`, \`windowEnd\`, and \`topContributors\` (a fixed-size heavy-hitter summary; amounts
  cover the window and at most one window before it), plus the rule's own fields.
- **Late events**: contributions count in their own minute while it is within the allowed lateness
  (\`time.allowedLatenessMinutes\`, the engine's one bound) of the watermark; older ones are dropped and counted.
- **Bounded state**: live groups per rule are capped (\`maxGroups\`, default 100 000; at the cap, the tenth least
  recently used is evicted at once) and each group's memory is constant for its rule.

## First-seen rules

A first-seen rule alerts when a group (a user, a node, a tag) shows a value (or a tuple of values) it has not shown
within a **horizon** (\`firstSeen.horizonDays\`), on event time. \`value(event, options)\` returns the event's
\`{ group, value }\` (or a list of them, or undefined); it is pure in event and options. The engine keeps, per rule,
each (tailnet, group, value) with its last sighting:

\`\`\`ts
export default defineFirstSeenRule({
  id: 'Example.Policy.New.Actor', severity: 'MEDIUM', logTypes: ['Tailscale.Audit'],
  firstSeen: { horizonDays: 30, learningDays: 7 },
  value: (e) => (e.event.target.property === 'ACL' ? { group: 'policy', value: e.event.actor.loginName ?? e.event.actor.id } : undefined),
  title: (s) => \`Policy file changed by \${s.value[0]}, a first in \${s.horizonDays} days\`,
});
\`\`\`

- **New**: a value is new when its group has never shown it, or last showed it more than the horizon before this
  event. Every sighting moves its last-seen time to the latest event time. The match is at the event's time; the dedup
  string is \`group: value\` unless the rule says otherwise.
- **Learning period**: for \`learningDays\` of event time after a rule's first value in a tailnet, values are only
  learned: nothing fires. \`tailwatch replay --learn-from T --from F\` learns from the events in [T, F) without
  alerting on them (the learning period starts at the first of them), so a backtest does not drown in first sightings.
- **What titles get** (\`FirstSeen\`): \`tailnet\`, \`group\`, \`value\` (a tuple), \`lastSeen\` (the previous sighting,
  when older than the horizon), \`horizonDays\` and \`event\`. The standard alert context holds the same (but the event).
- **Bounded memory**: exact up to \`maxValues\` remembered values per rule (default 100 000, all groups and tailnets);
  values past their horizon are forgotten, and at the cap the least recently observed value is forgotten (LRU; a
  value seen again within 1/64 of the horizon keeps its place in that order). The
  only error this allows is a forgotten value seen again within its horizon firing again: a value that is really new
  is never missed. The evaluator's stats count the values evicted at the cap.
- **State**: the values are part of the evaluator's snapshot (\`tailwatch run\` survives kill -9 as with windows), and
  a replay of the same events in the same order gives the same alerts. A hot reload keeps a rule's values while its
  file and options are unchanged; a changed rule starts afresh, with its learning period.
`;

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function showValue(key: string, value: unknown): string {
  const json = `\`${JSON.stringify(value)}\``;
  return typeof value === 'number' && /bytes$/i.test(key) ? `${json} (${formatBytes(value)})` : json;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'function' ? '_(computed per alert)_' : '';
}

function windowSummary(window: AggregateWindow): string {
  const threshold = window.measure === 'sum' && window.atLeast >= 1024 ? formatBytes(window.atLeast) : String(window.atLeast);
  const fires = window.baseline
    ? `max(${threshold}, ${window.baseline.factor} × the group's ${window.baseline.hours}-hour average per window)`
    : threshold;
  return `\`${window.measure}\` over a ${window.windowMinutes}-minute sliding window, fires at ≥ ${fires}`;
}

function firstSeenSummary(window: FirstSeenWindow): string {
  const learning = window.learningDays > 0 ? `, after a ${window.learningDays}-day learning period` : '';
  return `fires on a value its group has not seen within ${window.horizonDays} days${learning} (up to ${window.maxValues ?? DEFAULT_MAX_VALUES} values remembered)`;
}

function kindLabel(rule: AnyKindRule): string {
  return rule.kind === 'aggregate' ? 'aggregate' : rule.kind === 'firstSeen' ? 'first seen' : 'per event';
}

function kindSummary(rule: AnyKindRule, options: Record<string, unknown>): string {
  if (rule.kind === 'aggregate') return `aggregate — ${windowSummary(windowFor(rule, options))}`;
  if (rule.kind === 'firstSeen') return `first seen — ${firstSeenSummary(firstSeenWindowFor(rule, options))}`;
  return 'per event';
}

function optionRows(rule: AnyKindRule, options: Record<string, unknown>): string[] {
  if (!(rule.options instanceof z.ZodObject)) return [];
  const shape = rule.options.shape as Record<string, z.ZodType>;
  return [
    '| option | default | meaning |',
    '|---|---|---|',
    ...Object.entries(shape).map(([key, schema]) => `| \`${key}\` | ${cell(showValue(key, options[key]))} | ${cell(schema.description ?? '')} |`),
  ];
}

function ruleSection({ rule, options }: LoadedRule): string[] {
  const lines = [`### ${rule.id}`, ''];
  if (rule.displayName) lines.push(`**${rule.displayName}**`, '');
  lines.push(
    `- Severity: ${rule.severity}${rule.enabled === false ? ' (disabled by default)' : ''}`,
    `- Log types: ${rule.logTypes.join(', ')}`,
    `- Kind: ${kindSummary(rule, options)}`,
    `- Dedup period: ${rule.dedupPeriodMinutes ?? 60} minutes${rule.threshold && rule.threshold > 1 ? `, threshold ${rule.threshold} matches` : ''}`,
    `- MITRE ATT&CK: ${(rule.reports?.[MITRE] ?? []).join(', ') || '—'}`,
    `- Tags: ${(rule.tags ?? []).join(', ') || '—'}`,
    `- Reference: ${text(rule.reference) || '—'}`,
    `- Inline tests: ${rule.tests?.length ?? 0}`,
    '',
  );
  const description = text(rule.description);
  if (description) lines.push(description, '');
  const runbook = text(rule.runbook);
  if (runbook) lines.push(`Runbook: ${runbook}`, '');
  const rows = optionRows(rule, options);
  if (rows.length > 0) lines.push(...rows, '');
  return lines;
}

/** The whole catalog, rules sorted by id. `rules` should be loaded without overrides (so options are the defaults). */
export function renderRuleCatalog(rules: readonly LoadedRule[]): string {
  const sorted = [...rules].sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1));
  const lines = [
    PREAMBLE,
    alertSemanticsSection(),
    eventTypesSection(),
    '## Summary',
    '',
    '| rule | severity | log type | kind | MITRE ATT&CK |',
    '|---|---|---|---|---|',
    ...sorted.map(
      ({ rule }) =>
        `| [${rule.id}](#${rule.id.toLowerCase().replaceAll('.', '')}) | ${rule.severity} | ${rule.logTypes.join(', ')} | ${kindLabel(rule)} | ${cell((rule.reports?.[MITRE] ?? []).join(', '))} |`,
    ),
    '',
    '## Rules',
    '',
    ...sorted.flatMap(ruleSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
