// The "Silence rules" section of docs/rules.md: how the silence kind measures an absence on event time
// (engine/rules/silence/*), written for rule authors.
import { DEFAULT_MAX_REPORTERS } from '../rules/silence/reporters.ts';

export function silenceRulesSection(): string {
  return `## Silence rules

A silence rule alerts on an **absence**: a reporter (a node in flow logs) that normally reports in the rule's log
stream reports nothing for a while. It fires on the passage of event time (the stream's watermark), not on an event.
\`reporter(event, options)\` names who an event shows reporting (a string, a list, or undefined); the optional
\`rule(silence, options)\` says whether a silence counts, and may read \`silence.inventory\`. Both are pure; the
engine keeps the state.

\`\`\`ts
export default defineSilenceRule({
  id: 'Example.Node.Flow.Logs.Silent', severity: 'MEDIUM', logTypes: ['Tailscale.Network'],
  silence: { silenceMinutes: 60, windowMinutes: 60, windows: 24, minReportingWindows: 20 },
  reporter: (e) => e.event.nodeId,
  rule: (s) => s.inventory?.node(s.reporter)?.online === true,
  title: (s) => \`\${s.reporter} sent no flow logs for \${s.silenceMinutes} minutes while online\`,
});
\`\`\`

- **How silence is measured**: per tailnet and reporter, in whole minutes of event time. A silence starts at the end
  of the last minute the reporter reported in (\`silentSince\`) and is found once \`silenceMinutes\` minutes have
  passed with no report: its match is at that time (\`silentAt\`). Time passes by the rule's clock, the watermark of
  its log types in the tailnet, so it moves only while other reporters of the tailnet go on logging: a tailnet whose
  whole stream stops finds nothing here (watch that with \`Tailscale.Network.Flow.Logging.Disabled\` and your log
  pipeline's own health). A report that ends a long silence later does not hide it: every gap of at least
  \`silenceMinutes\` between two reports is a silence, and so is the one after the last report. One silence per gap;
  the next needs a report first.
- **"Normally reports"**: the reporter reported in at least \`minReportingWindows\` of the \`windows\` baseline
  windows (\`windowMinutes\` each, aligned to the epoch: 60 is the clock hour) that end with the window of its last
  report. A new reporter builds its baseline first; one with no report for \`windows\` windows is forgotten.
- **Lateness**: a minute is settled once the clock is past its end by the allowed lateness
  (\`time.allowedLatenessMinutes\`); a silence is decided when its last minute has settled, so live alerts come
  \`silenceMinutes\` plus the lateness after the last report. A report in a settled minute is late: counted
  (\`lateReports\` in the evaluator's stats), dropped, and it never cancels a silence. Which silences are found
  depends only on the reports that arrived within the lateness, never on their order or on the wall clock: a replay
  of the same stream gives the alerts live evaluation gave. At the end of a replay, pending reports are settled and a
  silence is found when it has lasted by the tailnet's clock, as live would once more data came.
- **Inventory**: \`silence.inventory\` is the tailnet inventory as of \`silentAt\`, at the stream position reached when
  the silence is decided (undefined without one), so live and a replay with the exported inventory agree.
- **What functions get** (\`Silence\`): \`tailnet\`, \`reporter\`, \`logTypes\`, \`silentSince\`, \`silentAt\`,
  \`silenceMinutes\`, \`reportingWindows\` (of \`windows\`), \`windows\`, \`windowMinutes\`, \`inventory\`. The dedup
  string is the reporter unless the rule says otherwise; the standard context holds the same fields (but the
  inventory and log types).
- **State**: at most \`maxReporters\` reporters per rule (default ${DEFAULT_MAX_REPORTERS.toLocaleString('en-US').replaceAll(',', ' ')}; past it, the tailnet's least
  recently reporting one is forgotten, counted as \`evictedReporters\`), each with at most lateness + 1 unsettled
  minutes and \`windows\` baseline windows. Reporters are part of the evaluator's snapshot (\`kill -9\` and a restart
  keep them) and a hot reload keeps them while the rule is unchanged. A silence rule cannot be a signal, and its
  matches are no inputs of correlation rules (they have no event).
`;
}
