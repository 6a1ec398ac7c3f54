// docs/rules.md: the rule catalog, generated from rule metadata (`tailwatch docs` writes it, `--check` compares).
import { z } from 'zod';
import type { AggregateWindow } from '../aggregate/types.ts';
import { windowFor } from '../rules/aggregate/compiled-aggregate-rule.ts';
import { correlationFor } from '../rules/correlation/compiled-correlation-rule.ts';
import type { AnyCorrelationStep, Correlation } from '../rules/correlation/types.ts';
import { firstSeenWindowFor } from '../rules/first-seen/compiled-first-seen-rule.ts';
import { DEFAULT_MAX_VALUES } from '../rules/first-seen/seen-values.ts';
import type { FirstSeenWindow } from '../rules/first-seen/types.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import type { AnyKindRule } from '../rules/rule-kinds.ts';
import { silenceWindowFor } from '../rules/silence/compiled-silence-rule.ts';
import { DEFAULT_MAX_REPORTERS } from '../rules/silence/reporters.ts';
import type { SilenceWindow } from '../rules/silence/types.ts';
import { alertSemanticsSection } from './alert-semantics-doc.ts';
import { eventTypesSection } from './event-types-doc.ts';
import { timeBudgetSection } from './time-budget-doc.ts';
import { formatBytes } from './flow-fields.ts';
import { silenceRulesSection } from './silence-rules-doc.ts';

const MITRE = 'MITRE ATT&CK';

const PREAMBLE = `# Rule catalog

Generated from the rules' metadata by \`npx tailwatch docs\`; do not edit by hand (CI runs \`npx tailwatch docs --check\`).
Every option can be overridden per deployment in \`alerts.config.ts\` under \`rules.options['<rule id>']\`, and
severity, dedup period, destinations, tags and \`enabled\` under \`rules.overrides['<rule id>']\`; an invalid
override fails at load with the rule id and the problem. A detections repository selects shipped rules with
\`rules.pack\` and extends them in code with \`extendRule\` (README, "Use tailwatch in your own detections repo").

## Rule kinds and their inline tests

Every rule shares one metadata base (\`id\`, \`displayName\`, \`severity\`, \`enabled\`, \`dedupPeriodMinutes\`,
\`threshold\`, \`tags\`, \`reports\`, \`logTypes\`, \`options\`, \`tests\`) and builds its alert the same way (title,
dedup, severity, context, destinations, with Panther's fallbacks and limits). A kind adds what it matches on:
**per event** (\`defineRule\`: \`rule()\` on each event), **aggregate** (\`defineAggregateRule\`: a measure over
windows, below), **first seen** (\`defineFirstSeenRule\`: a value new to its group, below), **correlation**
(\`defineCorrelationRule\`: matches of other rules joined on entity keys, below) or **silence**
(\`defineSilenceRule\`: a regular reporter that stops reporting, below). Inline tests of every kind run
through the real evaluator (\`tailwatch test\`, \`npm test\`): a per-event test gives one \`log\`, an aggregate,
first-seen, correlation or silence test a sequence of \`logs\` (and may assert the number of \`alerts\`);
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
  recently used is evicted at once) and each group's memory is bounded for its rule: a group seen in one minute
  keeps that minute's total, one seen in more keeps a ring of window + lateness minutes (\`bench/aggregate-groups.ts\`
  measures both).

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

## Signals

Any rule may be a **signal** (\`signal: true\`, Panther's \`CreateAlert: false\`): it matches and is recorded with
its event, but raises no alert by itself (its RULE_ERROR alerts still do). Signals are the inputs of correlation
rules. \`tailwatch run\` stores them in the state database for \`signals.retentionDays\` (default 7) and counts them
(\`tailwatch_signals_total{rule_id}\`); \`tailwatch signals\` lists them (filters as \`alerts list\`, \`--format json\`
with the event); \`tailwatch replay --signals\` prints them beside the alerts (JSON lines with \`"type": "SIGNAL"\`) and
the replay summary counts them. A signal's inline test expects a signal where other rules' tests expect an alert.

## Correlation rules

A correlation rule reads the matches (signals or alerts) of the rules its steps name (ids or globs; correlation
rules are never inputs), each step with the log type it reads and **typed join keys** extracted from the matched
event: \`node\`, \`user\`, \`authKey\` (key functions; an aggregate input's group key is given to them as
\`input.group\`) and \`tailnet\` (always the event's). Keys may come from different fields per step (A's
\`target.id\` = B's \`actor.id\`).

- **sequence**: step 1 then step 2 (then 3…, up to 5) in event-time order, the whole chain within \`withinMinutes\`;
  \`on\` joins each step to the next (one key, or one per boundary: \`['user', 'node']\`). For each match of the last
  step, the chain takes the latest joining match of each earlier step that keeps it within the window.
- **absence**: step 1 and no match of step 2 with the same key within \`withinMinutes\` after it; fires when the
  watermark passes the window's end (plus the lateness), as a match at the window's end.
- **distinct**: at least \`atLeast\` different rules matched for one key within \`withinMinutes\` (\`minSeverity\` on a
  step keeps, say, only HIGH signals): a simple risk score.

A sequence step after the first may also set \`withinMinutesOfPrevious\`: its match comes at most that many minutes
after the previous step's, inside the whole chain's \`withinMinutes\`. So a chain can start long before it ends and
still require its last steps to come close together (a key created days ago, then a node, then that node's
activity within 30 minutes of the node).

Like every kind they run on **event time**: a match is kept unless it is later than the allowed lateness behind the
rule's clock (dropped and counted otherwise), and a chain is evaluated once that clock has passed its last match by
the allowed lateness, so every match that can still count has arrived and the result never depends on arrival order
(live alerts come that much later than the last step; a replay evaluates what is pending when it ends, absences
only once their window has ended). The clock of a rule that joins several log types is the slowest of their
watermarks in the tailnet. Held matches are bounded (100 000 per rule; the oldest go first, counted) and kept only
for the window plus the lateness (a sequence's last step only until it is evaluated: it starts no other chain, so
a busy last step never crowds out the earlier steps); they are part of the evaluator's snapshot, so \`kill -9\` and a restart keep them.
The alert's dedup defaults to the key (\`user:u123\`); its context holds \`correlation\`, \`key\`, \`withinMinutes\`
and \`chain\`: each step's rule, event time, keys, severity and title.

\`\`\`ts
export default defineCorrelationRule({
  id: 'Tailscale.Correlation.Admin.Grant.Then.Logging.Off',
  logTypes: ['Tailscale.Audit'],
  severity: 'CRITICAL',
  correlate: {
    type: 'sequence',
    steps: [
      correlationStep({ rules: ['Tailscale.Admin.Role.Granted'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.target.id } }),
      correlationStep({ rules: ['Tailscale.LogStream.Endpoint.Deleted'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.actor.id } }),
    ],
    on: 'user',
    withinMinutes: 60,
  },
  title: (chain) => \`\${chain.key.value} was made admin, then deleted a log stream\`,
  tests: [{ name: 'grant then delete', expected: true, logs: [/* the grant */, /* the deletion */] }],
});
\`\`\`

A correlation's inline tests run its logs through it and the rules its steps name (taken from the loaded rules).
Inputs may be rules of any other kind, first-seen rules included (their first sightings). A suppressed match feeds no
correlation ([suppressions](suppressions.md#signals-and-correlation-rules)).
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

function correlationSummary(correlation: Correlation): string {
  const stepText = (step: AnyCorrelationStep) => step.rules.join(' or ') + (step.withinMinutesOfPrevious === undefined ? '' : ` (at most ${step.withinMinutesOfPrevious} minutes after the previous step)`);
  const steps = correlation.steps.map(stepText).join(correlation.type === 'absence' ? ' and no ' : correlation.type === 'sequence' ? ' → ' : ', ');
  const on = Array.isArray(correlation.on) ? correlation.on.join(', ') : String(correlation.on);
  if (correlation.type === 'distinct') return `${correlation.atLeast} distinct rules among ${steps} on one ${on} within ${correlation.withinMinutes} minutes`;
  return `${correlation.type} ${steps} within ${correlation.withinMinutes} minutes, joined on ${on}`;
}

function silenceSummary(window: SilenceWindow): string {
  return `fires when a reporter that reported in ≥ ${window.minReportingWindows} of its last ${window.windows} ${window.windowMinutes}-minute windows reports nothing for ${window.silenceMinutes} minutes (up to ${window.maxReporters ?? DEFAULT_MAX_REPORTERS} reporters remembered)`;
}

function kindLabel(rule: AnyKindRule): string {
  return rule.kind === 'rule' ? 'per event' : rule.kind === 'firstSeen' ? 'first seen' : rule.kind;
}

function kindSummary(rule: AnyKindRule, options: Record<string, unknown>): string {
  if (rule.kind === 'aggregate') return `aggregate — ${windowSummary(windowFor(rule, options))}`;
  if (rule.kind === 'firstSeen') return `first seen — ${firstSeenSummary(firstSeenWindowFor(rule, options))}`;
  if (rule.kind === 'correlation') return `correlation — ${correlationSummary(correlationFor(rule, options))}`;
  if (rule.kind === 'silence') return `silence — ${silenceSummary(silenceWindowFor(rule, options))}`;
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

function ruleSection(loaded: LoadedRule): string[] {
  const { rule, options } = loaded;
  const lines = [`### ${rule.id}`, ''];
  if (rule.displayName) lines.push(`**${rule.displayName}**`, '');
  lines.push(
    `- Severity: ${rule.severity}${rule.enabled === false ? ' (disabled by default)' : ''}`,
    `- Log types: ${rule.logTypes.join(', ')}`,
    `- Kind: ${kindSummary(rule, options)}${rule.signal === true ? ' (signal: recorded, raises no alert by itself)' : ''}`,
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
    silenceRulesSection(),
    alertSemanticsSection(),
    timeBudgetSection(),
    eventTypesSection(),
    '## Summary',
    '',
    '| rule | severity | log type | kind | MITRE ATT&CK |',
    '|---|---|---|---|---|',
    ...sorted.map(
      ({ rule }) =>
        `| [${rule.id}](#${rule.id.toLowerCase().replaceAll('.', '')}) | ${rule.severity} | ${rule.logTypes.join(', ')} | ${kindLabel(rule)}${rule.signal === true ? ' (signal)' : ''} | ${cell((rule.reports?.[MITRE] ?? []).join(', '))} |`,
    ),
    '',
    '## Rules',
    '',
    ...sorted.flatMap(ruleSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
