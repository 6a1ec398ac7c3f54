// The rules page: every loaded rule with its metadata and options, its alerts and matches per day over the last
// DAYS days of event time (ending at the newest alert's day), the last error it threw, and whether the watchdog
// stopped it for overrunning its time budget.
import type { RuleInfo } from '../rules/rule-info.ts';
import type { Database } from '../state/database.ts';
import { DAY_MS } from './rule-match-counts.ts';

export const DAYS = 14;

export interface RuleRow {
  id: string;
  displayName: string | null;
  severity: string;
  enabled: boolean;
  logTypes: readonly string[];
  tags: string[];
  /** e.g. { 'MITRE ATT&CK': ['TA0005:T1562'] } */
  reports: Record<string, string[]>;
  options: Record<string, unknown>;
  file: string;
  /** Per day, oldest first: alerts created (by their first event's day), and the rule's matches (by each match's day). */
  alertsPerDay: number[];
  matchesPerDay: number[];
  lastError: { at: string; message: string } | null;
  /** Set while the watchdog keeps the rule off: one call ran longer than this budget (until its file changes or a restart). */
  stoppedByTimeBudget: { budgetMs: number } | null;
}

export interface RulesReport {
  /** The first day of the per-day arrays (RFC 3339 date), null when there are no alerts yet. */
  firstDay: string | null;
  rules: RuleRow[];
}

/** `stopped`: the rules the watchdog stopped in this process (engine/pipeline/live/live-pipeline.ts). */
export function rulesReport(db: Database, rules: readonly RuleInfo[], stopped: readonly { ruleId: string; budgetMs: number }[] = []): RulesReport {
  const stoppedBudgets = new Map(stopped.map((rule) => [rule.ruleId, rule.budgetMs]));
  const newest = (db.prepare('SELECT max(first_event_ms) AS ms FROM alerts').get() as { ms: number | null }).ms;
  const endDay = newest === null ? undefined : Math.floor(newest / DAY_MS) * DAY_MS;
  const firstDayMs = endDay === undefined ? undefined : endDay - (DAYS - 1) * DAY_MS;
  const perDay = new Map<string, { alerts: number[]; matches: number[] }>();
  if (firstDayMs !== undefined) {
    const rows = db
      .prepare(`SELECT rule_id, CAST((first_event_ms - ?1) / ${DAY_MS} AS INTEGER) AS day, count(*) AS n
        FROM alerts a INDEXED BY alerts_rule_activity WHERE first_event_ms >= ?1 AND alert_type = 'RULE'
        AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.alert_id = a.alert_id AND b.revision > a.revision)
        GROUP BY rule_id, day`)
      .all(firstDayMs) as { rule_id: string; day: number; n: number }[];
    const matches = db
      .prepare(`SELECT rule_id, CAST((day - ?1) / ${DAY_MS} AS INTEGER) AS day, matches AS n FROM rule_matches WHERE day >= ?1 AND day < ?2`)
      .all(firstDayMs, firstDayMs + DAYS * DAY_MS) as { rule_id: string; day: number; n: number }[];
    const entry = (ruleId: string) => {
      const found = perDay.get(ruleId) ?? { alerts: new Array<number>(DAYS).fill(0), matches: new Array<number>(DAYS).fill(0) };
      perDay.set(ruleId, found);
      return found;
    };
    for (const row of rows) entry(row.rule_id).alerts[row.day] = row.n;
    for (const row of matches) entry(row.rule_id).matches[row.day] = row.n;
  }
  const lastErrors = new Map(
    (db
      .prepare(`SELECT rule_id, max(created_at) AS at, json_extract(alert, '$.error.message') AS message FROM alerts
        WHERE alert_type = 'RULE_ERROR' GROUP BY rule_id`)
      .all() as { rule_id: string; at: number; message: string }[]).map((row) => [row.rule_id, { at: new Date(row.at).toISOString(), message: row.message }]),
  );
  const empty = () => new Array<number>(DAYS).fill(0);
  return {
    firstDay: firstDayMs === undefined ? null : new Date(firstDayMs).toISOString().slice(0, 10),
    rules: rules.map((rule) => ({
      id: rule.id,
      displayName: rule.displayName ?? null,
      severity: rule.severity,
      enabled: rule.enabled,
      logTypes: rule.logTypes,
      tags: [...rule.tags],
      reports: rule.reports,
      options: rule.options,
      file: rule.file,
      alertsPerDay: perDay.get(rule.id)?.alerts ?? empty(),
      matchesPerDay: perDay.get(rule.id)?.matches ?? empty(),
      lastError: lastErrors.get(rule.id) ?? null,
      stoppedByTimeBudget: stoppedBudgets.has(rule.id) ? { budgetMs: stoppedBudgets.get(rule.id)! } : null,
    })),
  };
}
