// The "Alert windows" section of docs/rules.md: how matches become alerts on event time (engine/alerts/*), written
// for rule authors and for Panther users who migrate.
import { DEFAULT_ALLOWED_LATENESS_MINUTES, MAX_ALLOWED_LATENESS_MINUTES } from '../alerts/lateness.ts';

export function alertSemanticsSection(): string {
  return `## Alert windows, revisions and lateness

Every alert is computed on **event time**, so a backtest gives the alerts live evaluation gives. What follows holds
for every kind of rule; it is what makes the promise exact.

- **Windows aligned to the dedup period.** A match belongs to exactly one window of its key (tailnet, rule, alert
  type and dedup string): the dedup period aligned to the Unix epoch, \`[floor(t / period) × period, + period)\`.
  With the default 60 minutes that is the clock hour in UTC; 1440 minutes is the UTC day. Which window a match joins
  never depends on what arrived before it, and **no alert ever holds a match outside its window**
  (\`windowStart\`, \`windowEnd\` are on every alert).
- **Threshold over a sliding period.** A window's alert is raised when, at one of its matches, at least
  \`threshold\` matches fell within the dedup period ending there, counting the end of the previous window too: a
  burst that straddles a window boundary is never missed. Adding matches can only add alerts, so whether a window
  fires depends on the set of matches, not on their order. Its \`eventCount\` counts the matches inside its window.
- **Fires at once.** The alert is emitted the moment its threshold is reached (revision 1), as before: a quiet audit
  stream is never held back waiting for later events.
- **Representative match.** Title, dedup, severity, context, description and destinations come from the window's
  earliest match by event time; matches at the same instant are ordered by the JSON of what the rule returned for
  them. (\`p_row_id\` is random per process, so it decides nothing.)
- **Revisions.** An alert id, once emitted, is that alert's identity for good. When later matches change it (its
  count, first or last time, or an earlier match becomes the representative), the alert is emitted again with the
  same \`alertId\` and the next \`revision\` once its window settles. Destinations receive revisions as updates
  (webhooks: \`Idempotency-Key: <alertId>:<revision>\`; Slack: "[update N]"). A second id for the same alert is never
  emitted.
- **Allowed lateness.** One bound, \`time.allowedLatenessMinutes\` in \`alerts.config.ts\` (default
  ${DEFAULT_ALLOWED_LATENESS_MINUTES}, at most ${MAX_ALLOWED_LATENESS_MINUTES}), shared by per-event and aggregate rules. A window's **final form** is its last revision
  once the watermark has passed its end plus the lateness; for any arrival order whose disorder stays within the
  bound, the final form is the same: id, count, first and last event time, title and context (\`revision\` counts
  the versions emitted, so it can differ).
- **Watermarks** are kept per tailnet and per log type: the latest event time seen in that stream. A rule reading
  several log types is clocked by the slowest of those it has seen. Only events inside the plausible time range
  reach the evaluator, so a record dated in the far future cannot move a watermark (it is quarantined as
  \`time_out_of_range\`).
- **Late events.** A match whose window has already closed (the watermark is past its end plus the lateness) is
  **late**. It joins a window of its own, flagged \`late: true\`, whose id also hashes the watermark it was opened at:
  late matches for the same key and window gather in it until the watermark moves on by the lateness, and it never
  takes the id of the window it was late for. Late matches are counted by rule and source in the replay summary and
  in metrics; they are never merged into a closed window and never dropped silently. An aggregate contribution whose
  minute is more than the lateness behind the watermark is counted (per rule, \`lateEvents\`) and not aggregated:
  its windows have settled.
- **Ids** are \`sha256(tailnet, alert type, rule id, dedup string, window start [, "late", watermark])\`, 32 hex
  characters: the same logs give the same ids in replay and live, on any machine.
- **Bounded state.** At most 100 000 open windows per rule; past that, that rule's windows closest to closing close
  early (their final form is emitted), and their later matches are late, so an id is still never reused. A noisy rule
  never closes another rule's windows.
- **Replay order.** \`tailwatch replay\` reads its inputs in a canonical order: every file named, found in a named
  directory (recursively; hidden entries skipped) or matched by the shell, de-duplicated and sorted by absolute path
  (code-unit order); stdin, if named, last. \`replay b a\` is \`replay a b\`, and live evaluation of the same records
  in that order gives the same alerts and ids. Name or partition files so that path order is time order (as S3
  exports and Vector's file sink do: \`…/2026/06/01/…\`) and a backtest has no disorder at all.

**Coming from Panther.** Panther's dedup window rolls from the first match of a key, so which matches share an
alert depends on which arrived first; tailwatch aligns windows to the period instead. Three matches at 10:55, 11:00
and 11:05 are one Panther alert and two tailwatch alerts (10:00–11:00 and 11:00–12:00); a threshold still sees
them together. Panther takes an alert's title from its first event; tailwatch takes it from the earliest by event
time, and revises it if an earlier one arrives late.
`;
}
